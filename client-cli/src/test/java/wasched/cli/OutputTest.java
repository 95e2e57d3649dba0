package wasched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import wasched.v1.ListMessagesResponse;
import wasched.v1.Message;
import wasched.v1.MessageState;

class OutputTest {

  @Test
  void table_columns_line_up_under_their_headers() {
    String text =
        new Table("NAME", "STATE", "N")
            .row("messages/a", "scheduled", 1)
            .row("messages/longer-id", "sent", 12)
            .render();
    List<String> lines = text.lines().toList();
    assertThat(lines)
        .containsExactly(
            "NAME                STATE      N",
            "messages/a          scheduled  1",
            "messages/longer-id  sent       12");
  }

  @Test
  void empty_cells_show_a_dash_and_control_characters_are_neutralised() {
    String text = new Table("A", "B").row("", "x\u001b[31my\nz").render();
    assertThat(text.lines().toList().get(1)).isEqualTo("-  x?[31my z");
  }

  @Test
  void long_bodies_are_cut_in_tables_but_kept_whole_in_details() {
    String body = "0123456789".repeat(10);
    Message m =
        Message.newBuilder()
            .setName("messages/m1")
            .setRecipient("recipients/r1")
            .setBody(body)
            .setState(MessageState.MESSAGE_STATE_SCHEDULED)
            .setSendTime(Timestamp.newBuilder().setSeconds(1_798_102_800L))
            .build();
    String table = Output.messageTable(List.of(m)).render();
    assertThat(table.lines().toList().get(0))
        .startsWith("NAME")
        .contains("RECIPIENT", "STATE", "SEND TIME", "LOCAL TIME", "TIME ZONE", "ATTEMPTS",
            "PROVIDER ID", "BODY");
    assertThat(table).contains("scheduled", "2026-12-24T09:00:00Z", "0123456789012345678901234567890123456...");
    assertThat(table).doesNotContain(body);
    assertThat(Output.messageDetails(m)).contains("body:", body, "state:", "scheduled");
  }

  @Test
  void key_value_lists_align_their_values() {
    String text = Table.keyValues(List.of(new String[] {"name", "x"}, new String[] {"display name", "y"}));
    assertThat(text.lines().toList()).containsExactly("name:         x", "display name: y");
  }

  @Test
  void json_output_is_valid_protobuf_json() throws Exception {
    ListMessagesResponse response =
        ListMessagesResponse.newBuilder()
            .addMessages(Message.newBuilder().setName("messages/a").setBody("hi \"there\""))
            .addMessages(Message.newBuilder().setName("messages/b"))
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Output(new PrintStream(bytes, true, StandardCharsets.UTF_8), Output.Format.json)
        .printJson(response);
    ListMessagesResponse.Builder parsed = ListMessagesResponse.newBuilder();
    JsonFormat.parser().merge(bytes.toString(StandardCharsets.UTF_8), parsed);
    assertThat(parsed.build()).isEqualTo(response);
  }
}
