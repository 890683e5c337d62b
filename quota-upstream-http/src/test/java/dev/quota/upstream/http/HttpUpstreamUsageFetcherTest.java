package dev.quota.upstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.account.UpstreamAuthenticationException;
import dev.quota.core.account.UpstreamRateLimitedException;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UpstreamUsage;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpUpstreamUsageFetcherTest {

    private static final long ACCOUNT = 7;
    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");

    private final StubProvider provider = new StubProvider();

    @AfterEach
    void stopProvider() throws InterruptedException {
        provider.close();
    }

    /** Answers every request with {@code status} and {@code body}; asserts on what fetching then throws. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertFetchThrowsOn(int status, String body) {
        provider.answer(status, body);
        return assertThatThrownBy(() -> fetcher().build().fetch(ACCOUNT));
    }

    private HttpUpstreamUsageFetcher.Builder fetcher() {
        return HttpUpstreamUsageFetcher.builder().baseUri(provider.baseUri()).tokens(id -> "token-" + id)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aSuccessfulAnswerGivesTheWindowsInOrderWithResetTimesWithAndWithoutFractionalSeconds() {
        provider.answer(200, """
                {"five_hour": {"utilization": 42.5, "resets_at": "2025-03-10T13:00:00.123456+00:00"},
                 "seven_day": {"utilization": 7, "resets_at": "2025-03-14T09:00:00Z"},
                 "seven_day_oauth_apps": null,
                 "seven_day_sonnet": {"utilization": 12.0, "resets_at": "2025-03-14T17:00:00+08:00"},
                 "seven_day_opus": {"utilization": null, "resets_at": null},
                 "extra_usage": {"is_enabled": false}}
                """);
        List<UpstreamUsage> windows = fetcher().build().fetch(ACCOUNT);
        assertThat(windows).containsExactly(
                new UpstreamUsage("5h", 42.5, Instant.parse("2025-03-10T13:00:00.123456Z")),
                new UpstreamUsage("7d", 7.0, Instant.parse("2025-03-14T09:00:00Z")),
                new UpstreamUsage("7d:sonnet", 12.0, Instant.parse("2025-03-14T09:00:00Z")),
                new UpstreamUsage("7d:opus", 0.0, null));
    }

    @Test
    void theRequestCarriesTheAccountsTokenAndTheConfiguredHeaders() {
        fetcher().header("x-extra", "1").build().fetch(ACCOUNT);
        assertThat(provider.requests()).hasSize(1);
        assertThat(provider.requests().get(0).getFirst("Authorization")).isEqualTo("Bearer token-7");
        assertThat(provider.requests().get(0).getFirst("anthropic-beta")).isEqualTo("oauth-2025-04-20");
        assertThat(provider.requests().get(0).getFirst("x-extra")).isEqualTo("1");
    }

    @Test
    void theDefaultEndpointIsTheOauthUsagePath() {
        assertThat(fetcher().build().endpoint()).isEqualTo(provider.baseUri().resolve("/api/oauth/usage"));
        assertThat(fetcher().usagePath("/v2/usage").build().endpoint()).isEqualTo(provider.baseUri().resolve("/v2/usage"));
    }

    @Test
    void anUnparsableResetTimeKeepsTheWindowAndItsUtilization() {
        provider.answer(200, "{\"seven_day\": {\"utilization\": 40, \"resets_at\": \"next tuesday\"}}");
        assertThat(fetcher().build().fetch(ACCOUNT)).containsExactly(new UpstreamUsage("7d", 40.0, null, true));
    }

    @Test
    void anEmptyObjectIsNoWindows() {
        provider.answer(200, "{}");
        assertThat(fetcher().build().fetch(ACCOUNT)).isEmpty();
    }

    @Test
    void unauthorizedIsAnAuthenticationError() {
        assertFetchThrowsOn(401, "{\"error\": {\"type\": \"authentication_error\"}}")
                .isInstanceOfSatisfying(UpstreamAuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.accountId()).isEqualTo(ACCOUNT);
                })
                .hasMessageContaining("authentication_error");
    }

    @Test
    void forbiddenIsAnAuthenticationError() {
        assertFetchThrowsOn(403, "{\"error\": \"scope\"}")
                .isInstanceOfSatisfying(UpstreamAuthenticationException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aMissingTokenIsAnAuthenticationErrorAndNothingIsSent() {
        assertThatThrownBy(() -> fetcher().tokens(id -> null).build().fetch(ACCOUNT))
                .isInstanceOfSatisfying(UpstreamAuthenticationException.class, e -> assertThat(e.status()).isZero());
        assertThat(provider.requests()).isEmpty();
    }

    /** A 429 carries its Retry-After as a delay: seconds as given, an HTTP date as the delay from now. */
    @ParameterizedTest(name = "Retry-After: {0}")
    @CsvSource(delimiter = '|', value = {
        "120 | {\"error\": \"rate_limit_error\"} | 120",
        "Mon, 10 Mar 2025 08:01:30 GMT | '' | 90",
    })
    void tooManyRequestsCarriesTheRetryAfterDelay(String retryAfter, String body, long seconds) {
        provider.answer(exchange -> {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
            StubProvider.send(exchange, 429, body);
        });
        assertThatThrownBy(() -> fetcher().build().fetch(ACCOUNT))
                .isInstanceOfSatisfying(UpstreamRateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(seconds)))
                .isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void tooManyRequestsWithoutRetryAfterHasNoDelay() {
        assertFetchThrowsOn(429, "")
                .isInstanceOfSatisfying(UpstreamRateLimitedException.class, e -> assertThat(e.retryAfter()).isEmpty());
    }

    @Test
    void aServerErrorIsBackendUnavailableNamingTheStatus() {
        assertFetchThrowsOn(503, "overloaded")
                .isExactlyInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("overloaded");
    }

    @Test
    void anUnexpectedStatusIsBackendUnavailable() {
        assertFetchThrowsOn(404, "no such endpoint")
                .isExactlyInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("unexpected HTTP 404");
    }

    @Test
    void malformedJsonIsAMalformedResponse() {
        assertFetchThrowsOn(200, "{\"five_hour\": {\"utilization\": 1,}}")
                .isInstanceOf(MalformedUpstreamResponseException.class)
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("account 7")
                .hasMessageContaining("not JSON");
    }

    @Test
    void jsonOfTheWrongShapeIsAMalformedResponse() {
        for (String body : List.of("[]", "\"usage\"", "{\"five_hour\": 3}", "{\"five_hour\": {\"utilization\": \"12%\"}}",
                "{\"five_hour\": {\"utilization\": -1}}", "{\"seven_day\": {\"utilization\": 1, \"resets_at\": 17}}")) {
            assertFetchThrowsOn(200, body).as(body)
                    .isInstanceOf(MalformedUpstreamResponseException.class);
        }
    }

    @Test
    void aBodyOverTheLimitIsAMalformedResponse() {
        String big = "{\"pad\": \"" + "x".repeat(HttpUpstreamUsageFetcher.MAX_BODY_BYTES) + "\"}";
        assertFetchThrowsOn(200, big)
                .isInstanceOf(MalformedUpstreamResponseException.class)
                .hasMessageContaining("longer than");
    }

    /** A fetch with a 300 ms timeout fails as unavailable ("timed out"); then the stalled provider is released. */
    private void assertTimesOutThenRelease(CountDownLatch release) {
        try {
            assertThatThrownBy(() -> fetcher().requestTimeout(Duration.ofMillis(300)).build().fetch(ACCOUNT))
                    .isExactlyInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("timed out");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIsBackendUnavailable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        provider.answer(exchange -> {
            awaitRelease(release);
            StubProvider.send(exchange, 200, "{}");
        });
        assertTimesOutThenRelease(release);
    }

    @Test
    void aProviderThatStallsInTheBodyIsBackendUnavailable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        provider.answer(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"five_hour\": ".getBytes(StandardCharsets.UTF_8));
                out.flush();
                awaitRelease(release);
            }
        });
        assertTimesOutThenRelease(release);
    }

    @Test
    void anUnreachableProviderIsBackendUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HttpUpstreamUsageFetcher fetcher = HttpUpstreamUsageFetcher.builder()
                .baseUri(URI.create("http://127.0.0.1:" + closedPort)).tokens(id -> "t").build();
        assertThatThrownBy(() -> fetcher.fetch(ACCOUNT)).isExactlyInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("failed");
    }

    @Test
    void theBuilderRejectsBadSettingsAtOnce() {
        HttpUpstreamUsageFetcher.Builder b = HttpUpstreamUsageFetcher.builder();
        assertThatThrownBy(() -> b.baseUri(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.baseUri(URI.create("ftp://host"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.baseUri(URI.create("/relative"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.usagePath("api")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.requestTimeout(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.tokens(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.header("Authorization", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.clock(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("baseUri and tokens");
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            if (!release.await(60, TimeUnit.SECONDS)) { // safety bound: the test releases it when done
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
