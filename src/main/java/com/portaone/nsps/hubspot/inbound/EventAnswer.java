package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The answer to an event whose outcome comes later: the thread that has the outcome
 * writes it into the response's buffer and completes the request, and Tomcat sends it on
 * one of its own threads. No second dispatch runs the request through the filters and
 * Spring MVC again (that took about a third of the connector's CPU per event).
 * <p>
 * Nothing is written while the request thread is still inside the filters, which may
 * touch the response on their way out: an outcome that comes that early waits, and
 * {@link EventAnswerFilter}, outside the filters that touch the response, has it written.
 * Nothing is written once the request is over (answered, answered at the backstop, or
 * ended because the client went away): Tomcat reuses the response for another request.
 */
final class EventAnswer implements AsyncListener {

	private static final Logger log = LoggerFactory.getLogger(EventAnswer.class);

	private static final String ATTRIBUTE = EventAnswer.class.getName();

	private final AsyncContext context;

	private final ReentrantLock lock = new ReentrantLock();

	/** The fields below are guarded by {@link #lock}. */
	private boolean requestThreadOut;

	private @Nullable ResponseEntity<?> waiting;

	private boolean over;

	private EventAnswer(AsyncContext context) {
		this.context = context;
	}

	/**
	 * Puts the request into asynchronous mode, to be answered by {@link #send}.
	 * @param backstop when the request is answered 503 if nothing answered it before; the
	 * event's own deadline comes first
	 */
	static EventAnswer start(HttpServletRequest request, HttpServletResponse response, Duration backstop) {
		AsyncContext context = request.startAsync(request, response);
		context.setTimeout(backstop.toMillis());
		EventAnswer answer = new EventAnswer(context);
		context.addListener(answer);
		request.setAttribute(ATTRIBUTE, answer);
		return answer;
	}

	/**
	 * Answers the request with this, now or once the request thread is out of the
	 * filters, unless it was answered or is over already.
	 * @return whether this is the request's answer
	 */
	boolean send(ResponseEntity<?> answer) {
		this.lock.lock();
		try {
			if (this.over || this.waiting != null) {
				return false;
			}
			if (!this.requestThreadOut) {
				this.waiting = answer;
				return true;
			}
			this.over = true;
			write(answer);
			complete();
		}
		finally {
			this.lock.unlock();
		}
		return true;
	}

	/** On the request thread, out of every filter: writes an answer that came early. */
	static void requestThreadOut(ServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof EventAnswer answer) {
			answer.requestThreadOut(false);
		}
	}

	/**
	 * On the request thread, thrown out of the filters: nothing is written, now or later.
	 * Tomcat answers the exception (500, through {@link JsonErrorController}) and ends
	 * the request; NSPS delivers the event again.
	 */
	static void requestThreadThrew(ServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof EventAnswer answer) {
			answer.requestThreadOut(true);
		}
	}

	private void requestThreadOut(boolean threw) {
		this.lock.lock();
		try {
			this.requestThreadOut = true;
			ResponseEntity<?> answer = this.waiting;
			if (threw) {
				this.over = true;
			}
			if (answer == null || this.over) {
				return;
			}
			this.over = true;
			write(answer);
			complete();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void write(ResponseEntity<?> answer) {
		try {
			JsonAnswerWriter.write((HttpServletResponse) this.context.getResponse(), answer);
		}
		catch (IOException | RuntimeException ex) {
			log.debug("The answer could not be written: {}", ex.toString());
		}
	}

	private void complete() {
		try {
			this.context.complete();
		}
		catch (IllegalStateException ex) {
			// The container ended the request in the meantime.
		}
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		if (send(NspsAnswers.json(HttpStatus.SERVICE_UNAVAILABLE, NspsAnswers.NOT_ANSWERED_IN_TIME))) {
			log.error("An event was not answered in time");
		}
	}

	@Override
	public void onError(AsyncEvent event) {
		end();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		end();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	private void end() {
		this.lock.lock();
		try {
			this.over = true;
		}
		finally {
			this.lock.unlock();
		}
	}

}
