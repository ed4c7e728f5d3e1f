@NullMarked
package io.courier.admin.nodes;

import org.jspecify.annotations.NullMarked;
