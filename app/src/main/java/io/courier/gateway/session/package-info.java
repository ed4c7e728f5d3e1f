/**
 * What a client session is told when it is refused: the error contract every transport shares.
 */
@NullMarked
package io.courier.gateway.session;

import org.jspecify.annotations.NullMarked;
