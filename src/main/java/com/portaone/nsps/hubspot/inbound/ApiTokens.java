package com.portaone.nsps.hubspot.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The Bearer tokens NSPS may present ({@code API_TOKEN}, comma-separated for rotation).
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, in time that
 * does not depend on where they differ, and every configured token is compared.
 */
final class ApiTokens {

	private static final String BEARER = "Bearer ";

	/** Cloned for each use: looking the algorithm up anew cost more than the digest. */
	private static final MessageDigest SHA_256;

	static {
		try {
			SHA_256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	private final List<byte[]> digests;

	ApiTokens(List<String> tokens) {
		this.digests = tokens.stream().map(ApiTokens::sha256).toList();
	}

	/** Whether an {@code Authorization} header carries one of the tokens. */
	boolean authorizes(@Nullable String authorization) {
		if (authorization == null || authorization.length() < BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return false;
		}
		byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
		boolean matched = false;
		for (byte[] digest : this.digests) {
			matched |= MessageDigest.isEqual(digest, presented);
		}
		return matched;
	}

	private static byte[] sha256(String token) {
		try {
			return ((MessageDigest) SHA_256.clone()).digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The JDK's SHA-256 can be cloned", ex);
		}
	}

}
