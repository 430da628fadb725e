package com.portaone.nsps.hubspot.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The connector's share of HubSpot's request limit: every HTTP request to HubSpot is sent
 * through a {@link Permit} from here.
 * <p>
 * HubSpot counts requests per app at arrival in a rolling window (100 per 10 s on
 * Free/Starter, 190 on Professional/Enterprise), so permits are spread evenly with a
 * margin, never in bursts at the edge of a fixed window. The rate is
 * {@code HUBSPOT_REQUESTS_PER_SECOND} when set; otherwise the portal's own limit, as
 * HubSpot reports it on every answer ({@code X-HubSpot-RateLimit-Max} per
 * {@code -Interval-Milliseconds}), starting from the lowest tier's until it has. Right
 * before a request leaves, {@link SendWindow} checks the window once more against this
 * process's own sends and against what HubSpot says is left, and with replicas against
 * their shared window too. After a ten-secondly 429 nothing is sent until HubSpot's
 * window has room ({@code Retry-After}, else one interval); after a daily 429, nothing
 * until the cool-down has passed. When the account's daily count runs low, the pacing is
 * stretched so that its other apps are not starved. The pacing, the check before each
 * send and the pauses are decided here and only here; where permits and pauses are kept
 * (the process, or Redis for replicas) is the adapters' business.
 */
@Component
public class HubSpotRequestBudget {

	private static final Logger log = LoggerFactory.getLogger(HubSpotRequestBudget.class);

	/** The share of HubSpot's limit left unused, against jitter in arrival times. */
	static final double SAFETY_MARGIN = 0.045;

	/** The lowest tier's limit: what is assumed until HubSpot says otherwise. */
	static final PortalLimit LOWEST_TIER = new PortalLimit(100, Duration.ofSeconds(10));

	private final PermitSchedule schedule;

	private final BudgetPauses state;

	private final ConnectorMetrics metrics;

	private final HubSpotPortalStatus portal;

	private final Clock clock;

	private final @Nullable Double configuredRate;

	private final Duration maxPermitWait;

	private final Duration dailyLimitCooldown;

	/** Guarded by itself. */
	private final SendWindow window;

	/** With replicas: the window as all their sends fill it. */
	private final SharedSendWindow sharedWindow;

	private volatile PortalLimit portalLimit = LOWEST_TIER;

	private volatile int dailyStretch = 1;

	/**
	 * @param schedule when permits are due: this process's, or every replica's
	 * @param pauses HubSpot's pauses: this process's, or every replica's
	 * @param sharedWindow the replicas' shared send window, {@link SharedSendWindow#NONE}
	 * for one process
	 */
	@Autowired
	public HubSpotRequestBudget(HubSpotSettings settings, ConnectorMetrics metrics, HubSpotPortalStatus portal,
			PermitSchedule schedule, BudgetPauses pauses, SharedSendWindow sharedWindow) {
		this(settings, metrics, portal, Clock.systemUTC(), schedule, pauses, sharedWindow);
	}

	HubSpotRequestBudget(HubSpotSettings settings, ConnectorMetrics metrics, HubSpotPortalStatus portal, Clock clock,
			PermitSchedule schedule, BudgetPauses pauses, SharedSendWindow sharedWindow) {
		this.metrics = metrics;
		this.portal = portal;
		this.clock = clock;
		this.configuredRate = settings.requestsPerSecond();
		this.maxPermitWait = settings.maxPermitWait();
		this.dailyLimitCooldown = settings.dailyLimitCooldown();
		this.state = pauses;
		this.schedule = schedule;
		this.sharedWindow = sharedWindow;
		Pacing pacing = pacing();
		this.window = new SendWindow(pacing.windowLimit(), this.portalLimit.interval().toNanos(),
				sharedWindow != SharedSendWindow.NONE);
		sharedWindow.resize(pacing.windowLimit(), this.portalLimit.interval());
		schedule.respace(pacing.spacing());
		metrics.budgetRate(() -> 1e9 / pacing().spacing().toNanos());
		metrics.dailyRemaining(() -> {
			HubSpotPortalStatus.DailyUsage daily = portal.dailyUsage();
			return (daily != null) ? daily.remaining() : Double.NaN;
		});
	}

	/**
	 * Waits for a permit.
	 * @param maxWait how long the caller can still wait; the wait is the shorter of this
	 * and {@code HUBSPOT_MAX_PERMIT_WAIT_SECONDS}
	 * @return the permit, good for one request
	 * @throws RequestBudgetExhaustedException when none comes in time, or the daily limit
	 * cools down
	 */
	public Permit acquire(Duration maxWait) {
		long start = System.nanoTime();
		long bound = Math.min(maxWait.toNanos(), this.maxPermitWait.toNanos());
		long notAfter = start + bound;
		refuseDuringCooldown();
		long paused = pauseRemainingNanos();
		if (paused > bound) {
			this.metrics.budgetRefused("hubspot_window");
			throw new RequestBudgetExhaustedException(
					"HubSpot's rolling window is full for another " + Duration.ofNanos(paused).toMillis() + " ms",
					Duration.ofNanos(paused));
		}
		park(paused);
		long wait = this.schedule.reserve(notAfter - System.nanoTime());
		if (wait < 0) {
			this.metrics.budgetRefused("no_permit");
			throw new RequestBudgetExhaustedException(
					"No HubSpot request budget within " + Duration.ofNanos(bound).toMillis() + " ms",
					Duration.ofSeconds(1));
		}
		park(wait);
		this.metrics.budgetWait(Duration.ofNanos(System.nanoTime() - start));
		return new Permit(this, notAfter);
	}

	/**
	 * On the sending thread, right before a request leaves: waits while HubSpot's window
	 * has no room, then notes the send.
	 * @return the send's sequence number
	 */
	long beforeSend(long notAfterNanos) {
		while (true) {
			refuseDuringCooldown();
			long wait = pauseRemainingNanos();
			if (wait == 0) {
				long sequence = -1;
				synchronized (this.window) {
					// Read under the lock, so that send times are noted in order.
					long now = System.nanoTime();
					wait = this.window.waitNanos(now);
					if (wait == 0) {
						sequence = this.window.record(now);
					}
				}
				if (sequence >= 0) {
					recordShared(notAfterNanos);
					return sequence;
				}
			}
			if (System.nanoTime() + wait - notAfterNanos > 0) {
				this.metrics.budgetRefused("hubspot_window");
				throw new RequestBudgetExhaustedException("HubSpot's rolling window had no room in time",
						Duration.ofNanos(wait));
			}
			park(SendWindow.lookAgainAfter(wait));
		}
	}

	/**
	 * Notes the send in the replicas' shared window, waiting for room there until
	 * {@code notAfterNanos}. Nothing waits for it in one process.
	 */
	private void recordShared(long notAfterNanos) {
		if (!this.sharedWindow.tryRecord(notAfterNanos - System.nanoTime())) {
			this.metrics.budgetRefused("hubspot_window");
			throw new RequestBudgetExhaustedException("HubSpot's rolling window had no room in time",
					this.portalLimit.interval());
		}
	}

	/** HubSpot answered the request {@code sequence}; its headers say where it stands. */
	void answered(long sequence, RateLimitHeaders headers) {
		synchronized (this.window) {
			this.window.answered(sequence, System.nanoTime());
			if (headers.remaining() != null) {
				this.window.observed(sequence, headers.remaining(), (headers.max() != null) ? headers.max() : 0);
			}
		}
		if (headers.max() != null && headers.intervalMillis() != null && headers.max() > 0
				&& headers.intervalMillis() > 0) {
			learnPortalLimit(new PortalLimit(headers.max(), Duration.ofMillis(headers.intervalMillis())));
		}
		if (headers.daily() != null && headers.dailyRemaining() != null && headers.daily() > 0) {
			dailyUsage(headers.daily(), headers.dailyRemaining());
		}
	}

	/** HubSpot answered a request with 429. */
	void refused(HubSpotException ex) {
		Instant now = this.clock.instant();
		if (ex.verdict() == Verdict.DAILY_LIMIT) {
			this.state.coolDownUntil(now.plus(this.dailyLimitCooldown));
			log.warn("HubSpot's daily request limit reached; no requests for {} s",
					this.dailyLimitCooldown.toSeconds());
			return;
		}
		Duration interval = this.portalLimit.interval();
		Duration pause = (ex.retryAfter() != null && ex.retryAfter().compareTo(Duration.ZERO) > 0) ? ex.retryAfter()
				: interval;
		this.state.pauseUntil(now.plus(pause));
		synchronized (this.window) {
			// The pause is HubSpot's word on when its window has room again.
			this.window.forgetObservation();
		}
		log.warn("HubSpot's rolling window is full (429 {}); no requests for {} ms", ex.error().policyName(),
				pause.toMillis());
	}

	/** How long a write may wait for a permit before NSPS is answered 429. */
	public Duration maxPermitWait() {
		return this.maxPermitWait;
	}

	/**
	 * How long sending still waits for HubSpot's rolling window after a ten-secondly 429,
	 * zero when it does not.
	 */
	public Duration rollingWindowPauseRemaining() {
		return Duration.ofNanos(pauseRemainingNanos());
	}

	/** How long HubSpot's daily limit still cools down, zero when it does not. */
	public Duration dailyLimitCooldownRemaining() {
		return remaining(this.state.cooldownUntil());
	}

	/** The most requests this process lets into any rolling window. */
	int windowLimit() {
		synchronized (this.window) {
			return this.window.windowLimit();
		}
	}

	/** The time between two permits. */
	Duration spacing() {
		return pacing().spacing();
	}

	private void refuseDuringCooldown() {
		Duration cooldown = dailyLimitCooldownRemaining();
		if (!cooldown.isZero()) {
			this.metrics.budgetRefused("daily_limit");
			throw new RequestBudgetExhaustedException("HubSpot's daily request limit was reached", cooldown);
		}
	}

	private long pauseRemainingNanos() {
		return remaining(this.state.pausedUntil()).toNanos();
	}

	/**
	 * Until then, zero once past. Compared first: with no pause the instant lies far
	 * back, where {@code Duration.between} would overflow its nanoseconds and fall back
	 * through an exception on every send.
	 */
	private Duration remaining(Instant until) {
		Instant now = this.clock.instant();
		return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
	}

	private void learnPortalLimit(PortalLimit limit) {
		if (limit.equals(this.portalLimit)) {
			return;
		}
		this.portalLimit = limit;
		if (this.configuredRate == null) {
			log.info("HubSpot allows this app {} requests per {} ms; pacing to {} requests/s", limit.max(),
					limit.interval().toMillis(), String.format("%.2f", 1e9 / pacing().spacing().toNanos()));
		}
		respace();
	}

	private void dailyUsage(long daily, long remaining) {
		this.portal.dailyUsage(daily, remaining);
		double left = (double) remaining / daily;
		int stretch = (left < 0.02) ? 4 : (left < 0.10) ? 2 : 1;
		if (stretch != this.dailyStretch) {
			this.dailyStretch = stretch;
			if (stretch > 1) {
				log.warn("HubSpot's daily limit runs low ({} of {} left, shared by the account's apps): "
						+ "pacing slowed {} times", remaining, daily, stretch);
			}
			else {
				log.info("HubSpot's daily limit has room again ({} of {} left): normal pacing", remaining, daily);
			}
			respace();
		}
	}

	private void respace() {
		Pacing pacing = pacing();
		synchronized (this.window) {
			this.window.resize(pacing.windowLimit(), this.portalLimit.interval().toNanos());
		}
		this.sharedWindow.resize(pacing.windowLimit(), this.portalLimit.interval());
		this.schedule.respace(pacing.spacing());
	}

	/** The spacing of permits and the window limit that follow from the rate. */
	private Pacing pacing() {
		PortalLimit limit = this.portalLimit;
		double perSecond = (this.configuredRate != null) ? this.configuredRate
				: limit.max() * 1e9 / limit.interval().toNanos();
		long spacingNanos = (long) (1e9 / (perSecond * (1 - SAFETY_MARGIN))) * this.dailyStretch;
		int windowLimit = (int) (limit.interval().toNanos() / spacingNanos) + 1;
		return new Pacing(Duration.ofNanos(spacingNanos), Math.max(1, windowLimit));
	}

	/** Waits the whole time: parking may end early. */
	private static void park(long nanos) {
		long end = System.nanoTime() + nanos;
		for (long left = nanos; left > 0; left = end - System.nanoTime()) {
			LockSupport.parkNanos(left);
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new RequestBudgetExhaustedException("Interrupted while waiting for HubSpot request budget",
						Duration.ofSeconds(1));
			}
		}
	}

	/** HubSpot's burst limit of the app: {@code max} requests per rolling interval. */
	record PortalLimit(int max, Duration interval) {

	}

	private record Pacing(Duration spacing, int windowLimit) {

	}

}
