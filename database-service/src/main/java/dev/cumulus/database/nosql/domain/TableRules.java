package dev.cumulus.database.nosql.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** CreateTable's validation, with DynamoDB's messages. */
public final class TableRules {

  public static final int MAX_GSIS = 20;
  public static final int MAX_LSIS = 5;

  private TableRules() {}

  public static void validateName(String name, String parameter) {
    if (name == null) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at '"
              + parameter
              + "' failed to satisfy constraint: Member must not be null");
    }
    if (name.length() < 3 || name.length() > 255 || !validChars(name)) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + name
              + "' at '"
              + parameter
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern:"
              + " [a-zA-Z0-9_.-]+ and length between 3 and 255");
    }
  }

  private static boolean validChars(String name) {
    for (char c : name.toCharArray()) {
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '_' && c != '.' && c != '-') {
        return false;
      }
    }
    return true;
  }

  public static void validate(TableSchema table) {
    validateName(table.name(), "tableName");
    for (String type : table.attributes().values()) {
      if (!type.equals("S") && !type.equals("N") && !type.equals("B")) {
        throw DynamoException.validation(
            "1 validation error detected: Value '"
                + type
                + "' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint:"
                + " Member must satisfy enum value set: [B, N, S]");
      }
    }
    Set<String> used = new TreeSet<>();
    key(table, table.key(), used);
    if (table.globalIndexes().size() > MAX_GSIS) {
      throw DynamoException.validation(
          "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of "
              + MAX_GSIS);
    }
    if (table.localIndexes().size() > MAX_LSIS) {
      throw DynamoException.validation(
          "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds"
              + " per-table limit of "
              + MAX_LSIS);
    }
    if (!table.localIndexes().isEmpty() && table.key().range() == null) {
      throw DynamoException.invalidParameter(
          "Table KeySchema does not have a range key, which is required when specifying a"
              + " LocalSecondaryIndex");
    }
    Set<String> names = new HashSet<>();
    for (TableSchema.Index index : table.indexes()) {
      validateName(index.name(), "indexName");
      if (!names.add(index.name())) {
        throw DynamoException.invalidParameter("Duplicate index name: " + index.name());
      }
      key(table, index.key(), used);
      if (table.localIndexes().contains(index)) {
        if (index.key().range() == null || !index.key().hash().equals(table.key().hash())) {
          throw DynamoException.invalidParameter(
              "Index KeySchema does not have the same leading hash key as table KeySchema for"
                  + " index: "
                  + index.name()
                  + ". index hash key: "
                  + index.key().hash()
                  + ", table hash key: "
                  + table.key().hash());
        }
      }
      if (!List.of("ALL", "KEYS_ONLY", "INCLUDE").contains(index.projection())) {
        throw DynamoException.invalidParameter(
            "Unknown ProjectionType: " + index.projection() + " for index " + index.name());
      }
    }
    if (!used.equals(new TreeSet<>(table.attributes().keySet()))) {
      throw DynamoException.invalidParameter(
          "Number of attributes in KeySchema does not exactly match number of attributes defined"
              + " in AttributeDefinitions");
    }
    if (!"PAY_PER_REQUEST".equals(table.billingMode())
        && (table.readCapacity() < 1 || table.writeCapacity() < 1)) {
      throw DynamoException.invalidParameter(
          "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is"
              + " PROVISIONED");
    }
  }

  private static void key(TableSchema table, TableSchema.KeySchema key, Set<String> used) {
    if (key.hash() == null) {
      throw DynamoException.invalidParameter(
          "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    for (String attribute : new String[] {key.hash(), key.range()}) {
      if (attribute == null) {
        continue;
      }
      if (!table.attributes().containsKey(attribute)) {
        throw DynamoException.invalidParameter(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                + attribute
                + "], AttributeDefinitions: "
                + table.attributes().keySet());
      }
      used.add(attribute);
    }
    if (key.hash().equals(key.range())) {
      throw DynamoException.invalidParameter(
          "Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
  }
}
