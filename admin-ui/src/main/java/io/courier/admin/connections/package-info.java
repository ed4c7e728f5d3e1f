@NullMarked
package io.courier.admin.connections;

import org.jspecify.annotations.NullMarked;
