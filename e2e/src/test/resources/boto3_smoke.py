"""Stock boto3 against Cumulus' S3 endpoint (run by Boto3IT).

Environment: S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, BUCKET, WORK (a temp dir).
Exits non-zero on the first difference from what S3 answers; prints "boto3 OK" at the end.
"""
import os
import time
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["S3_ENDPOINT"],
    region_name="us-east-1",
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
)
bucket = os.environ["BUCKET"]
work = os.environ["WORK"]

# storage-service learns of a new instance from Kafka: retry until it knows the key's instance.
deadline = time.time() + 60
while True:
    try:
        s3.create_bucket(Bucket=bucket)
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(1)

s3.put_object(
    Bucket=bucket,
    Key="hello.txt",
    Body=b"hello boto3",
    ContentType="text/plain",
    Metadata={"team": "storage"},
)
got = s3.get_object(Bucket=bucket, Key="hello.txt")
assert got["Body"].read() == b"hello boto3"
assert got["Metadata"] == {"team": "storage"}, got["Metadata"]
assert got["ContentType"] == "text/plain", got["ContentType"]
part = s3.get_object(Bucket=bucket, Key="hello.txt", Range="bytes=6-10")["Body"].read()
assert part == b"boto3", part

# The transfer manager: multipart above 5 MiB, parallel ranged downloads.
data = os.urandom(12 * 1024 * 1024 + 3)
source = os.path.join(work, "big.bin")
with open(source, "wb") as f:
    f.write(data)
chunks = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.upload_file(source, bucket, "big.bin", Config=chunks)
head = s3.head_object(Bucket=bucket, Key="big.bin")
assert head["ContentLength"] == len(data), head["ContentLength"]
assert head["ETag"].endswith('-3"'), head["ETag"]
target = os.path.join(work, "back.bin")
s3.download_file(bucket, "big.bin", target, Config=chunks)
with open(target, "rb") as f:
    assert f.read() == data

s3.put_object(Bucket=bucket, Key="dir/a.txt", Body=b"a")
listing = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
assert [p["Prefix"] for p in listing.get("CommonPrefixes", [])] == ["dir/"], listing
assert sorted(o["Key"] for o in listing["Contents"]) == ["big.bin", "hello.txt"], listing

url = s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": "hello.txt"}, ExpiresIn=300
)
with urllib.request.urlopen(url) as response:
    assert response.read() == b"hello boto3"

try:
    s3.get_object(Bucket=bucket, Key="missing")
    raise AssertionError("a missing key was found")
except s3.exceptions.NoSuchKey:
    pass

keys = ["hello.txt", "big.bin", "dir/a.txt"]
deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
assert sorted(d["Key"] for d in deleted["Deleted"]) == sorted(keys), deleted
assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
s3.delete_bucket(Bucket=bucket)
print("boto3 OK", boto3.__version__)
