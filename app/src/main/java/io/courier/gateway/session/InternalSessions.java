package io.courier.gateway.session;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Sessions this node opens to itself: the warm-up's loopback STOMP sessions, which take
 * the real handshake, CONNECT, SUBSCRIBE and fan-out paths before the node reports ready,
 * and must not be seen by anyone. While a warm-up holds them {@link #open open}, a
 * handshake that presents {@link #HEADER} with this process's random credential, from an
 * address of this machine, is marked {@link SessionAttributes#INTERNAL}; its CONNECT
 * token is checked with the warm-up's own {@link JwtDecoder} (signed by a key pair that
 * exists only in this process), and the session may subscribe to {@link #TOPIC_PREFIX}
 * destinations only. Presence, session metrics, the console's session lists, frame
 * counters, handshake limits and request observations leave marked sessions out. Once the
 * warm-up is over the credential is refused, and no later handshake can be marked.
 */
@Component
public class InternalSessions {

	/** The handshake header that carries the credential. */
	public static final String HEADER = "Courier-Internal-Session";

	/**
	 * The only destinations an internal session may subscribe to:
	 * {@code /topic/courier.internal.<node>...}.
	 */
	public static final String TOPIC_PREFIX = "/topic/courier.internal.";

	private final String credential;

	private volatile @Nullable JwtDecoder decoder;

	private volatile boolean open;

	public InternalSessions() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		this.credential = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	/**
	 * Admits internal sessions, their tokens checked by {@code decoder}, until
	 * {@link #close}; the credential.
	 */
	public String open(JwtDecoder decoder) {
		this.decoder = decoder;
		this.open = true;
		return this.credential;
	}

	/**
	 * No more internal sessions. Those already admitted stay marked, and a CONNECT of
	 * theirs still late on its way is still checked with the warm-up's decoder (not
	 * refused by the node's, which would count and log it).
	 */
	public void close() {
		this.open = false;
	}

	/**
	 * Whether a handshake from {@code remote} presenting {@code presented} opens an
	 * internal session.
	 */
	public boolean admits(@Nullable String presented, @Nullable InetAddress remote) {
		return this.open && presented != null && remote != null && isLocal(remote) && MessageDigest.isEqual(
				presented.getBytes(StandardCharsets.US_ASCII), this.credential.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * As above for a request's remote address as a string (an IP literal: no name is
	 * looked up).
	 */
	public boolean admits(@Nullable String presented, @Nullable String remoteAddress) {
		if (presented == null || remoteAddress == null || !this.open) {
			return false;
		}
		try {
			return admits(presented, InetAddress.getByName(remoteAddress));
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * The decoder for the CONNECT token of a session with these attributes, if it is an
	 * internal one.
	 */
	public @Nullable JwtDecoder decoderFor(@Nullable Map<String, Object> sessionAttributes) {
		return isInternal(sessionAttributes) ? this.decoder : null;
	}

	public static boolean isInternal(@Nullable Map<String, Object> sessionAttributes) {
		return sessionAttributes != null && Boolean.TRUE.equals(sessionAttributes.get(SessionAttributes.INTERNAL));
	}

	private static boolean isLocal(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return true;
		}
		try {
			return NetworkInterface.getByInetAddress(address) != null;
		}
		catch (SocketException ex) {
			return false;
		}
	}

}
