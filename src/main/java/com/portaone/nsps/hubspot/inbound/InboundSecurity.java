package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Who may call what, with Spring Security, failing closed: every request needs NSPS's
 * Bearer token except the health probes; on a separate {@code MANAGEMENT_PORT} the
 * actuator is open (it is cluster-internal). Decisions are made on the path as Spring
 * routes it; a path the servlet container and Spring could read differently ({@code ;}
 * parameters, any percent-encoding, {@code //}, dot segments) is refused with 400 before
 * anything else by the firewall.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class InboundSecurity {

	/** Paths anyone may call on the API port. */
	static final String[] PUBLIC_PATHS = { "/health", "/actuator/health", "/actuator/health/**" };

	private static final Logger log = LoggerFactory.getLogger(InboundSecurity.class);

	private volatile int managementPort = -1;

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, InboundSettings settings, ConnectorMetrics metrics)
			throws Exception {
		ApiTokens tokens = new ApiTokens(settings.tokens());
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> {
			log.warn("Request refused: missing or invalid API token");
			metrics.eventAnswered("unknown", "unauthorized", Duration.ZERO);
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			JsonAnswerWriter.write(response, HttpServletResponse.SC_UNAUTHORIZED, NspsAnswers.AUTHENTICATION_FAILED);
		};
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			// No anonymous user and no servlet API wrapper of the request: nothing here
			// asks for either, and each costs every request a filter.
			.anonymous(AbstractHttpConfigurer::disable)
			.servletApi(AbstractHttpConfigurer::disable)
			// Stateless: no session, so no session management filters; the context
			// lives as long as the request.
			.sessionManagement(AbstractHttpConfigurer::disable)
			.securityContext(
					(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.addFilterBefore(new BearerTokenFilter(tokens), AuthorizationFilter.class)
			.authorizeHttpRequests((requests) -> requests
				// The request itself was authorized; its error page follows.
				.dispatcherTypeMatchers(DispatcherType.ERROR)
				.permitAll()
				.requestMatchers((request) -> request.getLocalPort() == this.managementPort)
				.permitAll()
				.requestMatchers(PUBLIC_PATHS)
				.permitAll()
				.anyRequest()
				.authenticated())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
				.accessDeniedHandler((request, response, ex) -> unauthorized.commence(request, response, null)));
		return http.build();
	}

	/**
	 * No observation of each security filter: the request's own observation (its server
	 * span, its timer) covers them, and wrapping every filter cost about a tenth of a
	 * request's CPU.
	 */
	@Bean
	SecurityObservationSettings securityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	WebSecurityCustomizer firewall() {
		return (web) -> web.httpFirewall(new UnambiguousPathFirewall())
			.requestRejectedHandler(new AmbiguousPathHandler());
	}

	/** Notes the port of a separate management server once it listens. */
	@EventListener
	void webServerStarted(WebServerInitializedEvent event) {
		if ("management".equals(event.getApplicationContext().getServerNamespace())) {
			this.managementPort = event.getWebServer().getPort();
		}
	}

	/**
	 * Authenticates a request that carries one of NSPS's tokens; any other request goes
	 * on unauthenticated, and authorization refuses it unless its path is public.
	 */
	private static final class BearerTokenFilter extends HttpFilter {

		private final ApiTokens tokens;

		private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

		BearerTokenFilter(ApiTokens tokens) {
			this.tokens = tokens;
		}

		@Override
		protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (this.tokens.authorizes(request.getHeader(HttpHeaders.AUTHORIZATION))) {
				SecurityContext context = this.contexts.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("nsps", null, List.of()));
				this.contexts.setContext(context);
			}
			chain.doFilter(request, response);
		}

	}

	/**
	 * Spring Security's strict firewall ({@code ;}, encoded {@code /}, {@code .} and
	 * {@code %}, {@code //}, dot segments, control characters), plus any other
	 * percent-encoding in the path: no path this service serves needs one. Any HTTP
	 * method passes, so that a wrong one is answered 405.
	 */
	private static final class UnambiguousPathFirewall implements HttpFirewall {

		private final StrictHttpFirewall strict = new StrictHttpFirewall();

		UnambiguousPathFirewall() {
			this.strict.setUnsafeAllowAnyHttpMethod(true);
		}

		@Override
		public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
			if (request.getRequestURI().indexOf('%') >= 0) {
				throw new RequestRejectedException("The request path is percent-encoded");
			}
			return this.strict.getFirewalledRequest(request);
		}

		@Override
		public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
			return this.strict.getFirewalledResponse(response);
		}

	}

	/** Answers a path the firewall refused with 400 in NSPS's error format. */
	private static final class AmbiguousPathHandler implements RequestRejectedHandler {

		@Override
		public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex)
				throws IOException {
			log.warn("Request refused as ambiguous or malformed: {}", ex.getMessage());
			JsonAnswerWriter.write(response, HttpServletResponse.SC_BAD_REQUEST, NspsAnswers.MALFORMED_REQUEST);
		}

	}

}
