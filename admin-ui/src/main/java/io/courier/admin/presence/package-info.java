@NullMarked
package io.courier.admin.presence;

import org.jspecify.annotations.NullMarked;
