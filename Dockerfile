# syntax=docker/dockerfile:1
# Builds the portal as one static binary and runs it as a non-root user in an
# image that holds nothing else. The build command is the same one that works
# without Docker: CGO_ENABLED=0 go build ./cmd/server.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/portal ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portal /portal
# Listen on every interface inside the container; TLS ends at the ingress.
# OIDC must be configured, or the portal refuses to start on this address.
ENV PORTAL_ADDR=:8080 LOG_FORMAT=json PORTAL_DATA_DIR=/tmp/portal
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/portal"]
