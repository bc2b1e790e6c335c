package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.persistence.TagRepository;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** TagResource, UntagResource and ListTagsOfResource on tables, with DynamoDB's tag rules. */
@Service
public class TableTags {

  /** DynamoDB's limit of tags per resource. */
  public static final int MAX_TAGS = 50;

  private final TableService tables;
  private final TagRepository tags;
  private final TransactionalOperator tx;

  public TableTags(TableService tables, TagRepository tags, TransactionalOperator tx) {
    this.tables = tables;
    this.tags = tags;
    this.tx = tx;
  }

  public Mono<Void> tag(Instance instance, String table, Map<String, String> added) {
    validate(added);
    String service = instance.serviceId();
    return tables
        .schema(instance, table)
        .then(tags.put(service, table, added))
        .then(tags.count(service, table))
        .flatMap(
            count ->
                count > MAX_TAGS
                    ? Mono.error(
                        new DynamoException(
                            ErrorKind.BAD_REQUEST,
                            "LimitExceededException",
                            "The number of tags on the resource exceeds " + MAX_TAGS))
                    : Mono.<Void>empty())
        .as(tx::transactional);
  }

  public Mono<Void> untag(Instance instance, String table, List<String> keys) {
    if (keys.isEmpty()) {
      throw DynamoException.validation(
          "1 validation error detected: Value '[]' at 'tagKeys' failed to satisfy constraint:"
              + " Member must have length greater than or equal to 1");
    }
    return tables
        .schema(instance, table)
        .then(tags.remove(instance.serviceId(), table, keys))
        .as(tx::transactional);
  }

  public Mono<List<Map.Entry<String, String>>> list(Instance instance, String table) {
    return tables
        .schema(instance, table)
        .thenMany(tags.list(instance.serviceId(), table))
        .collectList();
  }

  /** Tag keys of 1 to 128 characters, values up to 256, none in AWS's own {@code aws:} space. */
  public static void validate(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw DynamoException.validation(
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must"
              + " have length less than or equal to "
              + MAX_TAGS);
    }
    tags.forEach(
        (key, value) -> {
          if (key.isEmpty() || key.length() > 128) {
            throw DynamoException.validation(
                "1 validation error detected: Value '"
                    + key
                    + "' at 'tags.member.key' failed to satisfy constraint: Member must have"
                    + " length less than or equal to 128 and greater than or equal to 1");
          }
          if (value.length() > 256) {
            throw DynamoException.validation(
                "1 validation error detected: Value at 'tags.member.value' failed to satisfy"
                    + " constraint: Member must have length less than or equal to 256");
          }
          if (key.startsWith("aws:")) {
            throw DynamoException.validation(
                "One or more parameter values were invalid: Tag keys starting with 'aws:' are"
                    + " reserved for AWS use");
          }
        });
  }
}
