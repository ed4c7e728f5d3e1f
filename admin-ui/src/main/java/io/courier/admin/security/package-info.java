@NullMarked
package io.courier.admin.security;

import org.jspecify.annotations.NullMarked;
