package dev.cumulus.function.functions.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.functions.domain.InvocationStats;
import dev.cumulus.function.functions.persistence.InvocationRecordRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Invocation metrics of a function: totals and per-window figures over a time range. */
@Service
public class InvocationMetrics {

  /** At most this many windows per answer. */
  static final int MAX_WINDOWS = 1440;

  private final FunctionService functions;
  private final InvocationRecordRepository records;

  public InvocationMetrics(FunctionService functions, InvocationRecordRepository records) {
    this.functions = functions;
    this.records = records;
  }

  public record Report(
      Instant start,
      Instant end,
      Duration period,
      InvocationStats total,
      List<InvocationStats> windows) {}

  public Mono<Report> report(
      String serviceId, String name, Instant start, Instant end, Duration period) {
    if (!end.isAfter(start)) {
      throw FunctionErrors.invalidParameter("endTime must be after startTime");
    }
    if (period.isNegative() || period.isZero() || period.toSeconds() < 1) {
      throw FunctionErrors.invalidParameter("period must be at least 1 second");
    }
    if (Duration.between(start, end).dividedBy(period) > MAX_WINDOWS) {
      throw FunctionErrors.invalidParameter(
          "Too many windows: (endTime - startTime) / period must be at most " + MAX_WINDOWS);
    }
    return functions
        .require(serviceId, name, null)
        .then(
            Mono.zip(
                records.total(serviceId, name, start, end),
                records.windows(serviceId, name, start, end, period).collectList()))
        .map(t -> new Report(start, end, period, t.getT1(), t.getT2()));
  }
}
