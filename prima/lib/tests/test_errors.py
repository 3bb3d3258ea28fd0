from prima.lib.errors import RefusedChange


class Closed(RefusedChange):
    default_message = "Closed."
    status_code = 409


def test_a_refusal_carries_its_message_field_and_status():
    refused = Closed(field="date")
    assert (refused.message, refused.field, refused.status_code) == ("Closed.", "date", 409)
    assert str(RefusedChange("Tidak bisa")) == "Tidak bisa"
