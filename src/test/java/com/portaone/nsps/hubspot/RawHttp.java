package com.portaone.nsps.hubspot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP over a raw socket, for requests an HTTP client would normalize or refuse to send
 * (paths with {@code ;}, {@code %}, {@code //} or dot segments) and for huge bodies whose
 * answer may come while they are still being written.
 */
public final class RawHttp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	public RawHttp(int port) {
		this.port = port;
	}

	/** A status, headers (names in lower case) and body, however the exchange ended. */
	public record Answer(int status, Map<String, String> headers, String body) {

		public String contentType() {
			return this.headers.getOrDefault("content-type", "");
		}

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	/**
	 * Sends a request exactly as given: the target is not normalized or encoded.
	 * @param authorization the {@code Authorization} header, or none
	 * @param body the body, sent with its length; none when null
	 */
	public Answer send(String method, String target, @Nullable String authorization, byte @Nullable [] body)
			throws Exception {
		byte[] bytes = (body != null) ? body : new byte[0];
		return exchange(method, target, authorization, bytes.length, false, new java.io.ByteArrayInputStream(bytes),
				body != null);
	}

	/**
	 * Sends a generated body of {@code size} bytes while reading the answer at the same
	 * time: the server may answer early and close while the body is still being written,
	 * and a client that reads only after sending would see a reset, not the answer.
	 * @param chunked whether the body is sent chunked rather than with its length
	 */
	public Answer sendLarge(String method, String target, @Nullable String authorization, long size, boolean chunked)
			throws Exception {
		return exchange(method, target, authorization, size, chunked, new GeneratedBody(size), true);
	}

	private Answer exchange(String method, String target, @Nullable String authorization, long size, boolean chunked,
			InputStream body, boolean hasBody) throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			InputStream in = socket.getInputStream();
			CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readUntilClosed(in));
			OutputStream out = socket.getOutputStream();
			StringBuilder head = new StringBuilder()
				.append(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\n");
			if (authorization != null) {
				head.append("Authorization: ").append(authorization).append("\r\n");
			}
			if (hasBody) {
				head.append("Content-Type: application/json\r\n")
					.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n");
			}
			head.append("Connection: close\r\n\r\n");
			try (body) {
				out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
				byte[] buffer = new byte[64 * 1024];
				int read;
				while (!received.isDone() && (read = body.read(buffer)) != -1) {
					if (chunked) {
						out.write((Integer.toHexString(read) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					}
					out.write(buffer, 0, read);
					if (chunked) {
						out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
					}
				}
				if (chunked && !received.isDone()) {
					out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				out.flush();
			}
			catch (IOException ex) {
				// The server closed the connection under us, as it may after answering.
			}
			return parse(received.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
	}

	/** Everything the server sent until it closed the connection or reset it. */
	private static byte[] readUntilClosed(InputStream in) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int read;
			while ((read = in.read(buffer)) != -1) {
				bytes.write(buffer, 0, read);
				if (isComplete(bytes.toByteArray())) {
					break;
				}
			}
		}
		catch (IOException ex) {
			// A reset after the answer: keep what arrived.
		}
		return bytes.toByteArray();
	}

	/** Whether a whole HTTP answer is in: its length reached or its last chunk read. */
	private static boolean isComplete(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			return false;
		}
		String head = text.substring(0, end).toLowerCase(Locale.ROOT);
		if (head.contains("transfer-encoding: chunked")) {
			return text.endsWith("\r\n0\r\n\r\n");
		}
		int length = head.indexOf("content-length:");
		if (length < 0) {
			return false;
		}
		int lineEnd = head.indexOf("\r\n", length);
		String value = head.substring(length + "content-length:".length(), (lineEnd < 0) ? head.length() : lineEnd);
		return raw.length - (end + 4) >= Integer.parseInt(value.strip());
	}

	private static Answer parse(byte[] raw) {
		String text = new String(raw, StandardCharsets.UTF_8);
		int end = text.indexOf("\r\n\r\n");
		assertThat(end).as("an HTTP answer, got: %s", text).isPositive();
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).strip());
			}
		}
		boolean chunked = headers.getOrDefault("transfer-encoding", "").contains("chunked");
		String body = text.substring(end + 4);
		return new Answer(status, headers, chunked ? unchunk(body) : body);
	}

	private static String unchunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (at < chunked.length()) {
			int lineEnd = chunked.indexOf("\r\n", at);
			if (lineEnd < 0) {
				break;
			}
			int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
			if (size == 0) {
				break;
			}
			body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
			at = lineEnd + 2 + size + 2;
		}
		return body.toString();
	}

	/** The start of an event followed by filler, made up as it is read. */
	public static final class GeneratedBody extends InputStream {

		private static final byte[] START = "{\"event_id\":\"".getBytes(StandardCharsets.US_ASCII);

		private final long size;

		private long position;

		public GeneratedBody(long size) {
			this.size = size;
		}

		@Override
		public int read() {
			if (this.position >= this.size) {
				return -1;
			}
			long at = this.position++;
			return (at < START.length) ? START[(int) at] : 'x';
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.size) {
				return -1;
			}
			int count = (int) Math.min(length, this.size - this.position);
			for (int i = 0; i < count; i++) {
				long at = this.position + i;
				buffer[offset + i] = (at < START.length) ? START[(int) at] : (byte) 'x';
			}
			this.position += count;
			return count;
		}

	}

}
