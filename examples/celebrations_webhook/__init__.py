"""An outside feed: celebrations from recognition.events.v1, posted to a signed webhook."""
