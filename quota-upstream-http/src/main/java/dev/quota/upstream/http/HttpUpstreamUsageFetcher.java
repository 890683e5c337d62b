package dev.quota.upstream.http;

import dev.quota.core.account.UpstreamAuthenticationException;
import dev.quota.core.account.UpstreamRateLimitedException;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * An {@link UpstreamUsageFetcher} that asks the provider's usage endpoint over HTTP
 * ({@code java.net.http.HttpClient}): {@code GET <baseUri><usagePath>} with {@code Authorization: Bearer <token>},
 * the token of the account coming from a supplier the gateway gives. Defaults fit Anthropic's OAuth usage endpoint
 * ({@code https://api.anthropic.com/api/oauth/usage}, header {@code anthropic-beta: oauth-2025-04-20}).
 *
 * <p>Outcomes: 200 with the usage JSON → the windows ({@code five_hour}, {@code seven_day},
 * {@code seven_day_<family>}; reset times in RFC 3339 with or without fractional seconds); 401 or 403 →
 * {@link UpstreamAuthenticationException}; 429 → {@link UpstreamRateLimitedException} with the {@code Retry-After}
 * delay (seconds or HTTP-date); 5xx, any other status, a connect or request timeout, an unreachable host →
 * {@link BackendUnavailableException}; a 200 whose body is not the usage JSON →
 * {@link MalformedUpstreamResponseException}.
 *
 * <p>Thread-safe: one shared {@link HttpClient}; every call is independent.
 */
public final class HttpUpstreamUsageFetcher implements UpstreamUsageFetcher {

    /** The largest response body read, in bytes; a larger answer is malformed. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final HttpClient client;
    private final URI endpoint;
    private final Duration requestTimeout;
    private final LongFunction<String> tokens;
    private final Map<String, String> headers;
    private final Clock clock;

    private HttpUpstreamUsageFetcher(Builder b) {
        this.client = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.endpoint = b.baseUri.resolve(b.usagePath);
        this.requestTimeout = b.requestTimeout;
        this.tokens = b.tokens;
        this.headers = Map.copyOf(b.headers);
        this.clock = b.clock;
    }

    /** @return a builder with the defaults; {@link Builder#baseUri(URI)} and {@link Builder#tokens} are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the URI every fetch asks */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public List<UpstreamUsage> fetch(long accountId) {
        String token = tokens.apply(accountId);
        if (token == null || token.isBlank()) {
            throw new UpstreamAuthenticationException(accountId, 0, "no access token for account " + accountId);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).GET().timeout(requestTimeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request.build(), info -> new CappedBody(MAX_BODY_BYTES));
        HttpResponse<byte[]> response;
        try {
            // one deadline for the whole exchange, body included: the request timeout alone ends at the headers
            response = exchange.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw timedOut(accountId, e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while fetching the usage of account " + accountId, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(accountId, cause);
            }
            throw new BackendUnavailableException("usage of account " + accountId + " from " + endpoint
                    + " failed: " + cause, cause);
        }
        String body = response.body() == null ? null : new String(response.body(), StandardCharsets.UTF_8);
        return outcome(accountId, response, body);
    }

    private List<UpstreamUsage> outcome(long accountId, HttpResponse<?> response, String body) {
        int status = response.statusCode();
        if (status == 200) {
            if (body == null) {
                throw new MalformedUpstreamResponseException("usage answer for account " + accountId
                        + " is malformed: longer than " + MAX_BODY_BYTES + " bytes");
            }
            return UsageResponse.parse(accountId, body);
        }
        String said = " (" + (body == null ? "body over " + MAX_BODY_BYTES + " bytes" : excerpt(body)) + ")";
        if (status == 401 || status == 403) {
            throw new UpstreamAuthenticationException(accountId, status,
                    "provider refused the credentials of account " + accountId + ": HTTP " + status + said);
        }
        if (status == 429) {
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            throw new UpstreamRateLimitedException(accountId, RetryAfter.parse(retryAfter, clock.instant()).orElse(null),
                    "provider rate-limited the usage of account " + accountId + ": HTTP 429, Retry-After "
                            + (retryAfter == null ? "absent" : retryAfter) + said);
        }
        throw new BackendUnavailableException("usage of account " + accountId + " from " + endpoint
                + (status >= 500 ? " failed: HTTP " : " got an unexpected HTTP ") + status + said);
    }

    private BackendUnavailableException timedOut(long accountId, Throwable cause) {
        return new BackendUnavailableException("usage of account " + accountId + " from " + endpoint
                + " timed out (connect timeout, or no complete answer within " + requestTimeout + ")", cause);
    }

    private static String excerpt(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    /**
     * Configures an {@link HttpUpstreamUsageFetcher}. Each setter validates its argument at once. Not thread-safe;
     * the built fetcher is.
     */
    public static final class Builder {

        /** Default path of the usage endpoint: {@value}. */
        public static final String DEFAULT_USAGE_PATH = "/api/oauth/usage";
        /** Default connect timeout: 5 seconds. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        /** Default request timeout (until the whole answer, body included, has arrived): 10 seconds. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

        private URI baseUri;
        private String usagePath = DEFAULT_USAGE_PATH;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private LongFunction<String> tokens;
        private final Map<String, String> headers = new LinkedHashMap<>(Map.of("anthropic-beta", "oauth-2025-04-20"));
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param uri the provider's base URI, e.g. {@code https://api.anthropic.com} (required); http or https,
         *     absolute, with a host
         * @return this
         * @throws IllegalArgumentException if null, not absolute http(s) or without a host
         */
        public Builder baseUri(URI uri) {
            if (uri == null || uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException("baseUri must be an absolute http(s) URI with a host: " + uri);
            }
            this.baseUri = uri;
            return this;
        }

        /**
         * @param path the usage endpoint's path, starting with {@code /}; default {@value #DEFAULT_USAGE_PATH}
         * @return this
         * @throws IllegalArgumentException if null or not starting with {@code /}
         */
        public Builder usagePath(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("usagePath must start with '/': " + path);
            }
            this.usagePath = path;
            return this;
        }

        /**
         * @param timeout how long to wait for the TCP/TLS connection; positive, at most 5 minutes; default
         *     {@link #DEFAULT_CONNECT_TIMEOUT}
         * @return this
         * @throws IllegalArgumentException if null, not positive or longer than 5 minutes
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param timeout how long to wait for the whole answer (headers and body) after starting the request;
         *     positive, at most 5 minutes; default {@link #DEFAULT_REQUEST_TIMEOUT}
         * @return this
         * @throws IllegalArgumentException if null, not positive or longer than 5 minutes
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout(timeout, "requestTimeout");
            return this;
        }

        /**
         * @param supplier gives the current OAuth access token of an account id, called on every fetch (so a
         *     refreshed token is used at once); a {@code null} or blank token is an
         *     {@link UpstreamAuthenticationException} with status 0 (required)
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder tokens(LongFunction<String> supplier) {
            if (supplier == null) {
                throw new IllegalArgumentException("tokens must not be null");
            }
            this.tokens = supplier;
            return this;
        }

        /**
         * Adds (or replaces) a header sent with every fetch; default {@code anthropic-beta: oauth-2025-04-20}.
         *
         * @param name the header name (not {@code Authorization}, which carries the token)
         * @param value the value
         * @return this
         * @throws IllegalArgumentException if either is null or blank, or the name is {@code Authorization}
         */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank() || value == null || value.isBlank()
                    || name.toLowerCase(Locale.ROOT).equals("authorization")) {
                throw new IllegalArgumentException("header needs a name other than Authorization and a value: "
                        + name + "=" + value);
            }
            headers.put(name, value);
            return this;
        }

        /**
         * @param clock turns a {@code Retry-After} HTTP-date into a delay; default {@link Clock#systemUTC()}
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /**
         * @return the fetcher
         * @throws IllegalStateException if the base URI or the token supplier is missing
         */
        public HttpUpstreamUsageFetcher build() {
            if (baseUri == null || tokens == null) {
                throw new IllegalStateException("baseUri and tokens are required");
            }
            return new HttpUpstreamUsageFetcher(this);
        }

        private static Duration timeout(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(name + " must be positive and at most 5 minutes: " + d);
            }
            return d;
        }
    }
}
