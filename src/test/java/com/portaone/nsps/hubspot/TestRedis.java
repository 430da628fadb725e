package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.io.UncheckedIOException;

import redis.embedded.RedisServer;

/**
 * A real Redis for the tests: the one {@code REDIS_URL} names when it is set, else a
 * {@code redis-server} started from the embedded-redis jar on a free port, so that the
 * tests need nothing installed. A test that stops and starts Redis gets one of its own.
 */
public final class TestRedis implements AutoCloseable {

	private static TestRedis shared;

	private final String url;

	private final RedisServer server;

	private final int port;

	private TestRedis(String url, RedisServer server, int port) {
		this.url = url;
		this.server = server;
		this.port = port;
	}

	/** The Redis every test may share: {@code REDIS_URL}'s, or one started once. */
	public static synchronized String sharedUrl() {
		String configured = System.getenv("REDIS_URL");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		if (shared == null) {
			shared = start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
		}
		return shared.url();
	}

	/** A Redis of the caller's own, which it may stop and start. */
	public static TestRedis start() {
		int port = ConnectorProcess.freePort();
		try {
			RedisServer server = RedisServer.newRedisServer()
				.bind("127.0.0.1")
				.port(port)
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			server.start();
			return new TestRedis("redis://127.0.0.1:" + port, server, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start redis-server on port " + port, ex);
		}
	}

	public String url() {
		return this.url;
	}

	public int port() {
		return this.port;
	}

	/** Stops the server, as an outage would. */
	public void stop() {
		try {
			this.server.stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts it again on the same port, empty. */
	public void restart() {
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			if (this.server.isActive()) {
				this.server.stop();
			}
		}
		catch (IOException ex) {
			// Stopping at the end: nothing to tell.
		}
	}

}
