package com.portaone.nsps.hubspot.inbound;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (by the servlet container) are answered in NSPS's
 * error format too, instead of Boot's default body.
 */
@RestController
class JsonErrorController implements ErrorController {

	@RequestMapping("/error")
	ResponseEntity<Object> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		if (status == null) {
			// Called directly rather than for an error: there is nothing here.
			status = HttpStatus.NOT_FOUND;
		}
		HttpStatus answered = status.is4xxClientError() ? status : HttpStatus.INTERNAL_SERVER_ERROR;
		return NspsAnswers.json(answered, NspsAnswers.forStatus(answered.value()));
	}

}
