"""Recognition's domain: rules, the awarding engine, kudos, nominations and who may see what.

Plain Python with no I/O: no SQLAlchemy, FastAPI, Strawberry or Kafka here.
"""
