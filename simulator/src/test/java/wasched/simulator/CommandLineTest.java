package wasched.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void flags_with_separate_or_inline_values_configure_a_working_simulator() throws Exception {
        Map<String, String> options = CloudApiSimulator.parseFlags(new String[] {
            "--access-token", "tok", "--phone-number-id=42", "--rate", "0", "--read-receipts"});

        assertThat(options).containsEntry("access-token", "tok")
                .containsEntry("phone-number-id", "42")
                .containsEntry("rate", "0")
                .containsEntry("read-receipts", "true");
        try (CloudApiSimulator sim = CloudApiSimulator.fromOptions(options).build().start()) {
            assertThat(sim.baseUri().toString()).startsWith("http://127.0.0.1:").endsWith("/v21.0");
        }
    }

    @Test
    void unknown_flags_and_missing_values_are_rejected() {
        assertThatThrownBy(() -> CloudApiSimulator.parseFlags(new String[] {"--bogus", "x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> CloudApiSimulator.parseFlags(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    }

    @Test
    void a_simulator_without_token_or_phone_number_id_cannot_be_built() {
        assertThatThrownBy(() -> CloudApiSimulator.builder().phoneNumberId("1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("accessToken");
        assertThatThrownBy(() -> CloudApiSimulator.builder().accessToken("t").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("phoneNumberId");
        assertThatThrownBy(() -> CloudApiSimulator.builder().accessToken("t").phoneNumberId("1")
                .webhookUrl(java.net.URI.create("http://127.0.0.1:1/hook")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("appSecret");
    }
}
