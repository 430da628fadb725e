package com.portaone.nsps.hubspot.inbound;

import java.util.concurrent.TimeUnit;

import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's request threads, returned soon after a burst: requests wait for HubSpot
 * without a thread, so threads are only busy for moments, and a pod should not keep a
 * burst's worth of them for a minute (Tomcat's fixed idle time) afterwards.
 */
@Configuration(proxyBeanMethods = false)
class RequestThreads {

	private static final int MIN_SPARE = 10;

	/** 300 concurrent events need no more: they wait for HubSpot without a thread. */
	static final int MAX = 50;

	/** Threads never taken by reading event bodies, left for health probes. */
	static final int KEPT_FOR_PROBES = 10;

	private static final long IDLE_SECONDS = 10;

	/** What Tomcat builds itself, but with a shorter idle time. */
	@Bean(destroyMethod = "shutdown")
	ThreadPoolExecutor tomcatRequestThreads() {
		TaskQueue queue = new TaskQueue();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(MIN_SPARE, MAX, IDLE_SECONDS, TimeUnit.SECONDS, queue,
				new TaskThreadFactory("http-exec-", true, Thread.NORM_PRIORITY));
		queue.setParent(executor);
		return executor;
	}

	@Bean
	TomcatProtocolHandlerCustomizer<?> requestThreadPool(ThreadPoolExecutor tomcatRequestThreads) {
		return (protocolHandler) -> protocolHandler.setExecutor(tomcatRequestThreads);
	}

}
