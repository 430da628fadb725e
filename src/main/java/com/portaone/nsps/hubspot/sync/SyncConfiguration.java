package com.portaone.nsps.hubspot.sync;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The sync engine's threads, all Spring's: the dispatcher's own thread, the workers that
 * send HubSpot requests, and the timer of event deadlines. They take work while the web
 * server drains (accepting tasks after the context began to close) and end when the
 * context is destroyed, after the dispatcher has stopped.
 */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

	static final String DISPATCHER_THREAD = "writeDispatcherThread";

	static final String HUBSPOT_WORKERS = "hubSpotWorkers";

	static final String EVENT_TIMERS = "eventTimers";

	static final int WORKER_KEEP_ALIVE_SECONDS = 60;

	@Bean(DISPATCHER_THREAD)
	SimpleAsyncTaskExecutor writeDispatcherThread() {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("hubspot-write-dispatcher");
		executor.setDaemon(true);
		return executor;
	}

	/**
	 * Idle workers end, so that a burst's threads do not stay for the life of the pod;
	 * but only after a minute, as the pool hands rounds to its idle workers in turn: with
	 * ten seconds, a steady trickle of events found each worker just ended and started a
	 * new thread for most rounds.
	 */
	@Bean(HUBSPOT_WORKERS)
	ThreadPoolTaskExecutor hubSpotWorkers(SyncSettings settings) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("hubspot-sync-");
		executor.setCorePoolSize(settings.workers());
		executor.setMaxPoolSize(settings.workers());
		executor.setKeepAliveSeconds(WORKER_KEEP_ALIVE_SECONDS);
		executor.setAllowCoreThreadTimeOut(true);
		executor.setDaemon(true);
		executor.setAcceptTasksAfterContextClose(true);
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds((int) WriteDispatcher.SHUTDOWN_WAIT.toSeconds());
		return executor;
	}

	@Bean(EVENT_TIMERS)
	ThreadPoolTaskScheduler eventTimers() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("event-deadline-");
		scheduler.setPoolSize(1);
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setDaemon(true);
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

}
