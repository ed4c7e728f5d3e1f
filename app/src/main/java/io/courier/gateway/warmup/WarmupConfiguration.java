package io.courier.gateway.warmup;

import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.courier.gateway.session.InternalSessions;

/**
 * What the warm-up adds beyond its steps: no observation is made of its handshakes
 * ({@code http.server.requests}, Spring Security's filter chains), so they show in no
 * meter.
 */
@Configuration(proxyBeanMethods = false)
class WarmupConfiguration {

	@Bean
	ObservationPredicate internalSessionsNotObserved(InternalSessions internal) {
		return (name, context) -> {
			HttpServletRequest request = (context instanceof ServerRequestObservationContext server)
					? server.getCarrier()
					: (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current)
							? current.getRequest() : null;
			return request == null
					|| !internal.admits(request.getHeader(InternalSessions.HEADER), request.getRemoteAddr());
		};
	}

}
