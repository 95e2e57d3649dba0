package wasched.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import wasched.simulator.SendRequestParser.InvalidRequest;
import wasched.simulator.SendRequestParser.OutgoingText;

class SendRequestParserTest {

    private final SendRequestParser parser = new SendRequestParser(new ObjectMapper());

    private OutgoingText parse(String json) throws InvalidRequest {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_text_message_yields_recipient_body_and_callback_data() throws InvalidRequest {
        OutgoingText text = parse("""
                {"messaging_product":"whatsapp","to":"+4915112345678","type":"text",
                 "text":{"body":"hi"},"biz_opaque_callback_data":"cb"}""");

        assertThat(text).isEqualTo(new OutgoingText("+4915112345678", "hi", "cb"));
    }

    @Test
    void body_length_counts_code_points() throws InvalidRequest {
        String emojis = "\uD83D\uDE00".repeat(CloudApiSimulator.MAX_BODY_CHARACTERS);
        assertThat(parse("{\"messaging_product\":\"whatsapp\",\"to\":\"4915112345678\",\"text\":{\"body\":\""
                + emojis + "\"}}").body()).isEqualTo(emojis);

        assertThatThrownBy(() -> parse("{\"messaging_product\":\"whatsapp\",\"to\":\"4915112345678\","
                + "\"text\":{\"body\":\"" + emojis + "x\"}}"))
                .isInstanceOf(InvalidRequest.class)
                .satisfies(e -> assertThat(((InvalidRequest) e).graphMessage()).contains("too long"));
    }

    @Test
    void malformed_requests_are_rejected() {
        assertThatThrownBy(() -> parse("not json")).isInstanceOf(InvalidRequest.class);
        assertThatThrownBy(() -> parse("{\"to\":\"4915112345678\",\"text\":{\"body\":\"hi\"}}"))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("messaging_product");
        assertThatThrownBy(() -> parse("{\"messaging_product\":\"whatsapp\",\"to\":\"12\",\"text\":{\"body\":\"hi\"}}"))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("Param to");
        assertThatThrownBy(() -> parse("{\"messaging_product\":\"whatsapp\",\"to\":\"4915112345678\","
                + "\"text\":{\"body\":\"hi\"},\"biz_opaque_callback_data\":7}"))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("biz_opaque_callback_data");
    }
}
