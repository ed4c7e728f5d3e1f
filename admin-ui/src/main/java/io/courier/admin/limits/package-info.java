@NullMarked
package io.courier.admin.limits;

import org.jspecify.annotations.NullMarked;
