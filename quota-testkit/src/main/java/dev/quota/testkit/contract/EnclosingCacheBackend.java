package dev.quota.testkit.contract;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves a {@link BillingCacheBackend} parameter of the cache contracts' set-up to the enclosing test instance
 * that implements it (the backend's test class holding the contracts as {@code @Nested} classes).
 */
final class EnclosingCacheBackend implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BillingCacheBackend.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRequiredTestInstances().getAllInstances().stream()
                .filter(BillingCacheBackend.class::isInstance)
                .findFirst()
                .orElseThrow(() -> new ParameterResolutionException("the class enclosing "
                        + context.getRequiredTestClass().getName() + " must implement "
                        + BillingCacheBackend.class.getName() + " (it supplies the cache under test)"));
    }
}
