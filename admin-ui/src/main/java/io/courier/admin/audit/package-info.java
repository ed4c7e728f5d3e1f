@NullMarked
package io.courier.admin.audit;

import org.jspecify.annotations.NullMarked;
