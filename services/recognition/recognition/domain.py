"""Recognition rules: kudos limits. Plain Python, no I/O."""

KUDOS_MESSAGE_MAX = 280
