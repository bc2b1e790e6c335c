package dev.cumulus.storage.access.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * One condition of a policy statement, compiled: an operator ({@code StringLike}, with any {@code
 * IfExists} suffix and {@code ForAnyValue:}/{@code ForAllValues:} prefix), a key and its values.
 * The values of one key are alternatives (any matches); a negated operator holds when none does,
 * and, as IAM has it, when the request does not carry the key at all.
 */
record Condition(
    String operator,
    boolean negated,
    boolean ifExists,
    boolean forAllValues,
    boolean nullCheck,
    String key,
    List<String> values,
    BiPredicate<String, String> match) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  static Condition of(String operator, String key, List<String> values) {
    String op = operator;
    boolean forAll = false;
    if (op.startsWith("ForAllValues:")) {
      forAll = true;
      op = op.substring("ForAllValues:".length());
    } else if (op.startsWith("ForAnyValue:")) {
      op = op.substring("ForAnyValue:".length());
    }
    boolean ifExists = op.endsWith("IfExists");
    if (ifExists) {
      op = op.substring(0, op.length() - "IfExists".length());
    }
    if (values.isEmpty()) {
      throw new PolicyException("Conditions must have a value: " + operator + " " + key);
    }
    String lowerKey = key.toLowerCase(Locale.ROOT);
    BiPredicate<String, String> match;
    boolean negated = false;
    switch (op) {
      case "StringEquals", "ArnEquals" -> match = String::equals;
      case "StringNotEquals", "ArnNotEquals" -> {
        match = String::equals;
        negated = true;
      }
      case "StringEqualsIgnoreCase" -> match = String::equalsIgnoreCase;
      case "StringNotEqualsIgnoreCase" -> {
        match = String::equalsIgnoreCase;
        negated = true;
      }
      case "StringLike", "ArnLike" -> match = (p, v) -> Wildcards.matches(p, v, false);
      case "StringNotLike", "ArnNotLike" -> {
        match = (p, v) -> Wildcards.matches(p, v, false);
        negated = true;
      }
      case "NumericEquals" -> match = numeric(c -> c == 0, values, operator);
      case "NumericNotEquals" -> {
        match = numeric(c -> c == 0, values, operator);
        negated = true;
      }
      case "NumericLessThan" -> match = numeric(c -> c > 0, values, operator);
      case "NumericLessThanEquals" -> match = numeric(c -> c >= 0, values, operator);
      case "NumericGreaterThan" -> match = numeric(c -> c < 0, values, operator);
      case "NumericGreaterThanEquals" -> match = numeric(c -> c <= 0, values, operator);
      case "Bool" -> {
        for (String v : values) {
          if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new PolicyException("Invalid Condition value for Bool: " + v);
          }
        }
        match = String::equalsIgnoreCase;
      }
      case "IpAddress", "NotIpAddress" -> {
        Map<String, Cidr> blocks = new java.util.HashMap<>();
        for (String v : values) {
          blocks.put(v, cidr(v));
        }
        match =
            (block, ip) -> {
              byte[] address = address(ip);
              return address != null && blocks.get(block).contains(address);
            };
        negated = op.equals("NotIpAddress");
      }
      case "Null" -> {
        for (String v : values) {
          if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new PolicyException("Invalid Condition value for Null: " + v);
          }
        }
        return new Condition(operator, false, false, false, true, lowerKey, values, null);
      }
      default -> throw new PolicyException("Invalid Condition type : " + operator);
    }
    return new Condition(operator, negated, ifExists, forAll, false, lowerKey, values, match);
  }

  boolean holds(Map<String, List<String>> context) {
    List<String> actual = context.get(key);
    boolean present = actual != null && !actual.isEmpty();
    if (nullCheck) {
      return values.stream().anyMatch(v -> v.equalsIgnoreCase("true") != present);
    }
    if (!present) {
      return negated || ifExists || forAllValues;
    }
    if (forAllValues) {
      return actual.stream().allMatch(a -> matchesAny(a) != negated);
    }
    boolean any = actual.stream().anyMatch(this::matchesAny);
    return any != negated;
  }

  private boolean matchesAny(String actual) {
    for (String expected : values) {
      if (match.test(expected, actual)) {
        return true;
      }
    }
    return false;
  }

  private static BiPredicate<String, String> numeric(
      java.util.function.IntPredicate compared, List<String> values, String operator) {
    for (String v : values) {
      try {
        new java.math.BigDecimal(v);
      } catch (NumberFormatException e) {
        throw new PolicyException("Invalid Condition value for " + operator + ": " + v);
      }
    }
    return (expected, actual) -> {
      try {
        return compared.test(
            new java.math.BigDecimal(expected).compareTo(new java.math.BigDecimal(actual)));
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }

  /** A CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or one address. */
  record Cidr(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  static Cidr cidr(String value) {
    int slash = value.indexOf('/');
    String host = slash < 0 ? value : value.substring(0, slash);
    byte[] address = address(host);
    if (address == null) {
      throw new PolicyException("Invalid IP address or CIDR: " + value);
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new PolicyException("Invalid IP address or CIDR: " + value);
      }
    }
    return new Cidr(address, bits);
  }

  /** The bytes of a numeric IPv4 or IPv6 address; null for anything else (never a DNS lookup). */
  static byte[] address(String host) {
    if (IPV4.matcher(host).matches()) {
      byte[] bytes = new byte[4];
      String[] parts = host.split("\\.");
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(parts[i]);
        if (part > 255) {
          return null;
        }
        bytes[i] = (byte) part;
      }
      return bytes;
    }
    if (host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+")) {
      try {
        return InetAddress.getByName(host).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  /** Whether it pins the caller to known values (IAM's test of a non-public statement). */
  boolean restrictsCaller() {
    if (negated || ifExists || nullCheck) {
      return false;
    }
    return switch (key) {
      case "aws:sourceip" -> values.stream().noneMatch(v -> v.endsWith("/0"));
      case "aws:sourcevpc",
          "aws:sourcevpce",
          "aws:sourcearn",
          "aws:sourceaccount",
          "aws:sourceowner",
          "aws:principalaccount",
          "aws:principalorgid",
          "aws:userid" ->
          values.stream().noneMatch(v -> v.contains("*") || v.contains("?"));
      default -> false;
    };
  }
}
