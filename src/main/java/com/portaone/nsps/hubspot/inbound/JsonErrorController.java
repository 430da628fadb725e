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
		if (status == null || status == HttpStatus.NOT_FOUND) {
			// Called directly rather than for an error: there is nothing here.
			return NspsAnswers.json(HttpStatus.NOT_FOUND, NspsAnswers.NOT_FOUND);
		}
		if (status == HttpStatus.METHOD_NOT_ALLOWED) {
			return NspsAnswers.json(status, NspsAnswers.METHOD_NOT_ALLOWED);
		}
		if (status.is4xxClientError()) {
			return NspsAnswers.json(status,
					new ErrorResponse("Bad request", status.getReasonPhrase(), NspsAnswers.VALIDATION_ERROR));
		}
		return NspsAnswers.json(HttpStatus.INTERNAL_SERVER_ERROR, NspsAnswers.INTERNAL);
	}

}
