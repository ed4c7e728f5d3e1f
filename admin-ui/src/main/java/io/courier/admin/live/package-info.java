@NullMarked
package io.courier.admin.live;

import org.jspecify.annotations.NullMarked;
