// Round trip through the stack's Kafka with the client the project uses (kafkajs 2.2.4):
// check the replay topic's metadata, then produce and consume on a throwaway topic
// (so the replay topic stays empty for real tests), then delete it.
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:19092').split(',');
const replayTopic = process.env.KAFKA_TOPIC || 'replay-user-events';
const runId = `stack-smoke-${Date.now()}`;
const topic = runId;
const count = 6;

async function roundTrip(kafka) {
  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `user-${i}`,
    value: JSON.stringify({ runId, i, event: 'smoke' }),
  }));
  const res = await producer.send({ topic, messages });
  await producer.disconnect();
  console.log(`produced ${count} messages to ${topic} partitions ${[...new Set(res.map((r) => r.partition))].join(',')}`);

  const consumer = kafka.consumer({ groupId: runId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout: consumed ${seen.size}/${count}`)), 60000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.add(JSON.parse(message.value.toString()).i);
            if (seen.size === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  console.log(`consumed ${seen.size}/${count} messages back`);
}

async function main() {
  const kafka = new Kafka({ clientId: 'stack-smoke', brokers, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [replayTopic] });
    const partitions = meta.topics[0].partitions.length;
    console.log(`kafkajs ${require('kafkajs/package.json').version}: ${replayTopic} has ${partitions} partitions`);
    if (partitions !== 3) throw new Error(`${replayTopic} should have 3 partitions`);
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await roundTrip(kafka);
    console.log('kafkajs OK');
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.deleteGroups([runId]).catch(() => {});
    await admin.disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
