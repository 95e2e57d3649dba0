package wasched.simulator;

/** Phone number normalisation shared by request handling and configuration. */
final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /**
     * The digits of a phone number, which is how the Cloud API reports a recipient ({@code wa_id}); comparing
     * digits also lets {@code +49151...} and {@code 49151...} name the same recipient.
     */
    static String digits(String phoneNumber) {
        StringBuilder sb = new StringBuilder(phoneNumber.length());
        for (int i = 0; i < phoneNumber.length(); i++) {
            char c = phoneNumber.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
