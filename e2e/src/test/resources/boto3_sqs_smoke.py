"""Stock boto3 against Cumulus' SQS endpoint (run by SqsClientsIT).

Environment: SQS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, QUEUE.
Exits non-zero on the first difference from what SQS answers; prints "boto3 sqs OK" at the end.
"""
import os
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# Long polls wait up to 20 s: the read timeout must outlast them.
sqs = boto3.client(
    "sqs",
    endpoint_url=os.environ["SQS_ENDPOINT"],
    region_name="us-east-1",
    config=Config(read_timeout=40, retries={"max_attempts": 1}),
)
name = os.environ["QUEUE"]

# queue-service learns of a new instance from Kafka: retry until it knows the key's instance.
deadline = time.time() + 60
while True:
    try:
        url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(1)
# Queue URLs name the host the client called: the gateway.
assert url.startswith(os.environ["SQS_ENDPOINT"] + "/") and url.endswith("/" + name), url
assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
assert url in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])

# Send with attributes (boto3 checks the MD5s of body and attributes), receive, delete.
sent = sqs.send_message(
    QueueUrl=url,
    MessageBody="hello boto3",
    MessageAttributes={"priority": {"DataType": "String", "StringValue": "high"}},
)
got = sqs.receive_message(
    QueueUrl=url,
    WaitTimeSeconds=1,
    MessageAttributeNames=["All"],
    MessageSystemAttributeNames=["ApproximateReceiveCount"],
)["Messages"]
assert len(got) == 1, got
assert got[0]["MessageId"] == sent["MessageId"]
assert got[0]["Body"] == "hello boto3"
assert got[0]["MessageAttributes"]["priority"]["StringValue"] == "high"
assert got[0]["Attributes"]["ApproximateReceiveCount"] == "1"
sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])

# A long poll on an empty queue wakes when a message arrives, well before its 20 s.
answer = {}


def poll():
    started = time.time()
    answer["messages"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])
    answer["seconds"] = time.time() - started


waiter = threading.Thread(target=poll)
waiter.start()
time.sleep(1.5)
sqs.send_message(QueueUrl=url, MessageBody="wake up")
waiter.join(30)
assert [m["Body"] for m in answer["messages"]] == ["wake up"], answer
assert answer["seconds"] < 10, answer
sqs.delete_message(QueueUrl=url, ReceiptHandle=answer["messages"][0]["ReceiptHandle"])

# Batches: ten in, received and deleted in batches.
sent = sqs.send_message_batch(
    QueueUrl=url,
    Entries=[{"Id": "m%d" % i, "MessageBody": "batch %d" % i} for i in range(10)],
)
assert len(sent["Successful"]) == 10 and not sent.get("Failed"), sent
bodies = set()
while len(bodies) < 10:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    assert messages, bodies
    bodies.update(m["Body"] for m in messages)
    deleted = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
    )
    assert len(deleted["Successful"]) == len(messages) and not deleted.get("Failed"), deleted
assert bodies == {"batch %d" % i for i in range(10)}, bodies

attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
assert attributes["VisibilityTimeout"] == "45", attributes
assert attributes["ApproximateNumberOfMessages"] == "0", attributes
assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0", attributes
assert attributes["QueueArn"].endswith(":" + name), attributes

# SQS errors arrive as boto3's modelled exceptions.
try:
    sqs.get_queue_url(QueueName="no-such-queue")
    raise AssertionError("an unknown queue was found")
except sqs.exceptions.QueueDoesNotExist:
    pass

sqs.delete_queue(QueueUrl=url)
try:
    sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    raise AssertionError("a deleted queue answered")
except ClientError as e:
    assert e.response["Error"]["Code"] in ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"), e.response

print("boto3 sqs OK")
