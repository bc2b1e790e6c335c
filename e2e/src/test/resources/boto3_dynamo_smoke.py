"""Stock boto3 against Cumulus' DynamoDB endpoint (run by DynamoClientsIT).

Environment: DYNAMODB_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
Also reads a table's stream with the dynamodbstreams client.
Exits non-zero on the first difference from what DynamoDB answers; prints "boto3 dynamodb OK".
"""
import os
import time
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config

config = Config(retries={"max_attempts": 1})
endpoint = os.environ["DYNAMODB_ENDPOINT"]
client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", config=config)
dynamodb = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1", config=config)

# database-service learns of a new instance from Kafka: retry until it knows the key's instance.
deadline = time.time() + 60
while True:
    try:
        client.list_tables()
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(1)

table = dynamodb.create_table(
    TableName="events",
    KeySchema=[
        {"AttributeName": "device", "KeyType": "HASH"},
        {"AttributeName": "at", "KeyType": "RANGE"},
    ],
    AttributeDefinitions=[
        {"AttributeName": "device", "AttributeType": "S"},
        {"AttributeName": "at", "AttributeType": "N"},
    ],
    ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
)
table.wait_until_exists()  # DescribeTable until ACTIVE
assert table.table_status == "ACTIVE", table.table_status
assert table.key_schema[0] == {"AttributeName": "device", "KeyType": "HASH"}, table.key_schema
assert "events" in client.list_tables()["TableNames"]

# The resource layer converts Python values: Decimal numbers, sets, nested maps and lists.
with table.batch_writer() as batch:
    for at in range(1, 11):
        batch.put_item(
            Item={
                "device": "d1",
                "at": at,
                "level": "warn" if at % 3 == 0 else "info",
                "tags": {"a", "b"},
                "reading": {"celsius": Decimal("21.5"), "history": [1, 2, at]},
            }
        )
table.put_item(Item={"device": "d2", "at": 1, "level": "warn"})

item = table.get_item(Key={"device": "d1", "at": 3})["Item"]
assert item["level"] == "warn", item
assert item["tags"] == {"a", "b"}, item
assert item["reading"]["celsius"] == Decimal("21.5"), item
assert item["reading"]["history"] == [1, 2, 3], item
assert "Item" not in table.get_item(Key={"device": "d1", "at": 99})

# Query: key condition, order, paging by Limit and ExclusiveStartKey.
page = table.query(
    KeyConditionExpression=Key("device").eq("d1") & Key("at").gt(4),
    ScanIndexForward=False,
    Limit=4,
)
assert [i["at"] for i in page["Items"]] == [10, 9, 8, 7], page["Items"]
rest = table.query(
    KeyConditionExpression=Key("device").eq("d1") & Key("at").gt(4),
    ScanIndexForward=False,
    ExclusiveStartKey=page["LastEvaluatedKey"],
)
assert [i["at"] for i in rest["Items"]] == [6, 5], rest["Items"]
assert "LastEvaluatedKey" not in rest
try:
    table.query(KeyConditionExpression=Key("device").begins_with("d"))
    raise AssertionError("begins_with on a hash key must be refused")
except client.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response

# Scan with a filter: Count after the filter, ScannedCount before it.
scanned = table.scan(FilterExpression=Attr("level").eq("warn") & Attr("tags").contains("a"))
assert scanned["Count"] == 3 and scanned["ScannedCount"] == 11, scanned
assert sorted(i["at"] for i in scanned["Items"]) == [3, 6, 9], scanned["Items"]

# Update with a condition: it holds once, then fails as DynamoDB's exception class.
updated = table.update_item(
    Key={"device": "d1", "at": 3},
    UpdateExpression="SET #l = :err, reading.history = list_append(reading.history, :more) ADD seen :one",
    ConditionExpression=Attr("level").eq("warn"),
    ExpressionAttributeNames={"#l": "level"},
    ExpressionAttributeValues={":err": "error", ":more": [4], ":one": 1},
    ReturnValues="ALL_NEW",
)["Attributes"]
assert updated["level"] == "error" and updated["seen"] == 1, updated
assert updated["reading"]["history"] == [1, 2, 3, 4], updated
try:
    table.update_item(
        Key={"device": "d1", "at": 3},
        UpdateExpression="SET #l = :err",
        ConditionExpression=Attr("level").eq("warn"),
        ExpressionAttributeNames={"#l": "level"},
        ExpressionAttributeValues={":err": "error"},
    )
    raise AssertionError("the condition no longer holds")
except client.exceptions.ConditionalCheckFailedException as e:
    assert e.response["Error"]["Message"] == "The conditional request failed", e.response

deleted = table.delete_item(Key={"device": "d2", "at": 1}, ReturnValues="ALL_OLD")["Attributes"]
assert deleted == {"device": "d2", "at": 1, "level": "warn"}, deleted

# Streams: enable one, change an item three times, read the changes with the streams client.
client.update_table(
    TableName="events",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
)
table.put_item(Item={"device": "s1", "at": 1, "state": "new"})
table.update_item(
    Key={"device": "s1", "at": 1},
    UpdateExpression="SET #s = :s",
    ExpressionAttributeNames={"#s": "state"},
    ExpressionAttributeValues={":s": "paid"},
)
table.delete_item(Key={"device": "s1", "at": 1})
streams = boto3.client(
    "dynamodbstreams", endpoint_url=endpoint, region_name="us-east-1", config=config
)
listed = streams.list_streams(TableName="events")["Streams"]
assert len(listed) == 1, listed
arn = listed[0]["StreamArn"]
described = streams.describe_stream(StreamArn=arn)["StreamDescription"]
assert described["StreamViewType"] == "NEW_AND_OLD_IMAGES", described
shard = described["Shards"][0]["ShardId"]
iterator = streams.get_shard_iterator(
    StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
)["ShardIterator"]
records = []
deadline = time.time() + 10
while len(records) < 3 and time.time() < deadline:
    page = streams.get_records(ShardIterator=iterator, Limit=2)
    records += page["Records"]
    iterator = page["NextShardIterator"]
names = [r["eventName"] for r in records]
assert names == ["INSERT", "MODIFY", "REMOVE"], names
assert records[0]["dynamodb"]["NewImage"]["state"] == {"S": "new"}, records[0]
assert records[1]["dynamodb"]["OldImage"]["state"] == {"S": "new"}, records[1]
assert records[1]["dynamodb"]["NewImage"]["state"] == {"S": "paid"}, records[1]
assert "NewImage" not in records[2]["dynamodb"], records[2]
assert all(r["dynamodb"]["Keys"]["device"] == {"S": "s1"} for r in records), records
# An iterator after the first record starts at the second.
after = streams.get_shard_iterator(
    StreamArn=arn,
    ShardId=shard,
    ShardIteratorType="AFTER_SEQUENCE_NUMBER",
    SequenceNumber=records[0]["dynamodb"]["SequenceNumber"],
)["ShardIterator"]
again = streams.get_records(ShardIterator=after)["Records"]
assert [r["eventName"] for r in again] == ["MODIFY", "REMOVE"], again

table.delete()
try:
    client.describe_table(TableName="events")
    raise AssertionError("the table is deleted")
except client.exceptions.ResourceNotFoundException:
    pass
assert "events" not in client.list_tables()["TableNames"]
print("boto3 dynamodb OK")
