package dev.cumulus.function.functions.domain;

import dev.cumulus.function.common.domain.FunctionErrors;
import java.util.regex.Pattern;

/** Function names, qualifiers and ARNs as Lambda spells them. */
public final class FunctionNames {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern ALIAS = Pattern.compile("(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}");

  private FunctionNames() {}

  public static String check(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw FunctionErrors.invalidParameter(
          "Value '"
              + name
              + "' at 'functionName' failed to satisfy constraint: Member must"
              + " satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}");
    }
    return name;
  }

  public static String checkAlias(String alias) {
    if (alias == null || !ALIAS.matcher(alias).matches()) {
      throw FunctionErrors.invalidParameter(
          "Value '"
              + alias
              + "' at 'name' failed to satisfy constraint: an alias is 1 to 128"
              + " letters, digits, - or _, and not a number");
    }
    return alias;
  }

  public static boolean isVersion(String qualifier) {
    return Function.LATEST.equals(qualifier) || qualifier.chars().allMatch(Character::isDigit);
  }

  public static String arn(String region, String serviceId, String name) {
    return "arn:aws:lambda:" + region + ":" + serviceId + ":function:" + name;
  }
}
