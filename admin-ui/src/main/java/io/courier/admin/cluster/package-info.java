@NullMarked
package io.courier.admin.cluster;

import org.jspecify.annotations.NullMarked;
