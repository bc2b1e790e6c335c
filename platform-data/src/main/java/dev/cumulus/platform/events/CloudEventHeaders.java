package dev.cumulus.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: attributes travel as {@code ce_*} headers,
 * the JSON data is the record value. Cumulus adds the extensions {@code tenantid} and {@code
 * requestid}.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String SOURCE = "ce_source";
  public static final String TYPE = "ce_type";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";
  public static final String TENANT_ID = "ce_tenantid";
  public static final String REQUEST_ID = "ce_requestid";
  public static final String CONTENT_TYPE = "content-type";

  private CloudEventHeaders() {}

  /** The headers of one outbox event. */
  public static List<Header> of(OutboxEvent event) {
    List<Header> headers = new ArrayList<>(9);
    add(headers, SPEC_VERSION, "1.0");
    add(headers, ID, event.id().toString());
    add(headers, SOURCE, event.source());
    add(headers, TYPE, event.type());
    add(headers, TIME, event.occurredAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    add(headers, SUBJECT, event.key());
    add(headers, CONTENT_TYPE, "application/json");
    add(headers, TENANT_ID, event.tenantId());
    add(headers, REQUEST_ID, event.requestId());
    return headers;
  }

  /** Reads a Kafka record's CloudEvent attributes; fails when required ones are missing. */
  public static ReceivedEvent read(Headers headers, byte[] value) {
    return read(
        name -> {
          Header header = headers.lastHeader(name);
          return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        },
        value);
  }

  /**
   * Reads a Spring message's CloudEvent attributes (Spring Cloud Stream maps Kafka headers to
   * message headers, as bytes or strings).
   */
  public static ReceivedEvent read(Map<String, Object> headers, byte[] value) {
    return read(
        name ->
            switch (headers.get(name)) {
              case null -> null;
              case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
              case Object other -> other.toString();
            },
        value);
  }

  private static ReceivedEvent read(Function<String, String> header, byte[] value) {
    String time = header.apply(TIME);
    return new ReceivedEvent(
        required(header, ID),
        required(header, TYPE),
        required(header, SOURCE),
        header.apply(SUBJECT),
        header.apply(TENANT_ID),
        header.apply(REQUEST_ID),
        time == null ? null : OffsetDateTime.parse(time),
        value == null ? "" : new String(value, StandardCharsets.UTF_8));
  }

  private static void add(List<Header> headers, String name, String value) {
    if (value != null) {
      headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String required(Function<String, String> header, String name) {
    String value = header.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Not a CloudEvent: header " + name + " is missing");
    }
    return value;
  }
}
