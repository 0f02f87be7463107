# One image for every MAC Heroes process; SERVICE picks the default command (its API).
# Used by docker-compose.yml; relays, consumers and the init job override the command.
FROM python:3.11-slim

ARG SERVICE=gateway
ENV SERVICE=${SERVICE} \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements/ requirements/
COPY libs/ libs/
COPY infra/ infra/
COPY services/ services/
RUN pip install --no-cache-dir -c requirements/constraints.txt \
      -e libs/servicekit -e infra/devstack \
      -e services/membership -e services/projects -e services/recognition -e services/gateway \
      -e services/portal

# A fixed user id, so Kubernetes' runAsUser (infra/k8s) and file permissions agree.
RUN useradd --create-home --uid 1000 heroes
USER heroes
EXPOSE 8000
CMD ["sh", "-c", "case \"$SERVICE\" in gateway|portal) app=$SERVICE.app ;; *) app=$SERVICE.api ;; esac; exec uvicorn $app:create_app --factory --host 0.0.0.0 --port 8000"]
