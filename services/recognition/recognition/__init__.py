"""Recognition service: badges earned from evidence, kudos, nominations and celebrations."""
