package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;

/**
 * What Tomcat answers on its own, before Spring sees a request (a NUL in the path, a
 * header too large, an unparsable request line), in NSPS's error format rather than an
 * HTML page. An encoded {@code /} is passed on for Spring Security's firewall to refuse.
 */
@Configuration(proxyBeanMethods = false)
class TomcatAnswers {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Bean
	TomcatConnectorCustomizer encodedSlashToFirewall() {
		return (connector) -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
	}

	@Bean
	JsonErrorReports jsonErrorReports() {
		return new JsonErrorReports();
	}

	/**
	 * Replaces the error report valve Boot puts on the host: ordered after Boot's
	 * customizer, its context customizer runs after the one that adds Boot's valve.
	 */
	static final class JsonErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				Container host = context.getParent();
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.getPipeline().addValve(new JsonErrorReportValve());
				if (host instanceof StandardHost standardHost) {
					// Else the host adds Tomcat's own valve when it starts.
					standardHost.setErrorReportValveClass(JsonErrorReportValve.class.getName());
				}
			});
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	/** Tomcat's error report, as NSPS's ErrorResponse. */
	static final class JsonErrorReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			ErrorResponse body = NspsAnswers.forStatus(status);
			try {
				response.setContentType(MediaType.APPLICATION_JSON_VALUE);
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(JSON.writeValueAsString(body));
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The connection is gone; there is no one left to tell.
			}
		}

	}

}
