package wasched.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InjectedErrorsTest {

    @Test
    void queued_errors_are_taken_in_order_and_then_run_out() {
        InjectedErrors errors = new InjectedErrors();
        errors.add(131000, 2);
        errors.add(130429, 1);
        errors.add(100, 0);

        assertThat(errors.take()).isEqualTo(131000);
        assertThat(errors.take()).isEqualTo(131000);
        assertThat(errors.take()).isEqualTo(130429);
        assertThat(errors.take()).isNull();
    }
}
