# planner-action container. BASE may point at a mirror or a digest-pinned image.
ARG BASE=python:3.12-slim
FROM ${BASE}

LABEL org.opencontainers.image.title="planner-action" \
      org.opencontainers.image.description="Turns a planning issue into a machine-validated plan for coding agents" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/org/planner-action"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/opt/planner \
    PATH=/opt/venv/bin:$PATH

# Dependencies first, from the hash-pinned lock, so code changes reuse this layer.
COPY requirements.lock /opt/planner/requirements.lock
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --require-hashes --only-binary=:all: -r /opt/planner/requirements.lock \
 && /opt/venv/bin/pip uninstall --yes --quiet pip

# The package runs from source, the schemas beside it. Its bytecode is compiled here, once
# (PYTHONDONTWRITEBYTECODE stops the action writing any at run time, so without this every
# run would compile every module again); unchecked-hash .pyc files are used without a stat
# of their source, which never changes inside the image.
COPY planner /opt/planner/planner
COPY entrypoint.py LICENSE /opt/planner/
RUN /opt/venv/bin/python3 -m compileall -q --invalidation-mode unchecked-hash /opt/planner/planner

ENTRYPOINT ["/opt/venv/bin/python3", "/opt/planner/entrypoint.py"]
