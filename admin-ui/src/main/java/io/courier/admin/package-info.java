@NullMarked
package io.courier.admin;

import org.jspecify.annotations.NullMarked;
