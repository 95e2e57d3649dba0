package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static wasched.server.it.Grpc.failure;

import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.v1.ListMessagesRequest;
import wasched.v1.ListRecipientsRequest;
import wasched.v1.Role;

class RateLimitTest {
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer(3);
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void a_caller_over_its_budget_gets_resource_exhausted_with_retry_info_until_the_budget_refills()
            throws Exception {
        // Logins draw on the certificate subject's budget for Login (3 a minute here).
        String rita = ts.userToken("rita", Role.ROLE_USER);
        for (int i = 0; i < 3; i++) {
            ts.scheduling(rita).listMessages(ListMessagesRequest.getDefaultInstance());
        }
        var refused = failure(() -> ts.scheduling(rita).listMessages(ListMessagesRequest.getDefaultInstance()),
                Status.Code.RESOURCE_EXHAUSTED);
        var details = StatusProto.fromThrowable(refused).getDetailsList();
        RetryInfo retry = details.stream().filter(a -> a.is(RetryInfo.class)).findFirst().orElseThrow()
                .unpack(RetryInfo.class);
        assertThat(retry.getRetryDelay().getSeconds()).isBetween(1L, 20L);
        assertThat(details.stream().filter(a -> a.is(QuotaFailure.class)).findFirst().orElseThrow()
                .unpack(QuotaFailure.class).getViolations(0).getSubject()).isEqualTo("user:rita");

        // The budget is per method: another method still works.
        ts.recipients(rita).listRecipients(ListRecipientsRequest.getDefaultInstance());
        // And it refills with time: one call per 20 s at 3 a minute.
        ts.clock.advance(Duration.ofSeconds(21));
        ts.scheduling(rita).listMessages(ListMessagesRequest.getDefaultInstance());
        failure(() -> ts.scheduling(rita).listMessages(ListMessagesRequest.getDefaultInstance()),
                Status.Code.RESOURCE_EXHAUSTED);
    }
}
