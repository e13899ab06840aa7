<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n shard(s)</source>
        <translation>
            <numerusform>%n shard</numerusform>
            <numerusform>%n shards</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pgdeck::MoveRunPage</name>
    <message numerus="yes">
        <source>Done: %n shard(s) moved, each verified by row count and checksum.</source>
        <translation>
            <numerusform>Done: %n shard moved, each verified by row count and checksum.</numerusform>
            <numerusform>Done: %n shards moved, each verified by row count and checksum.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pgdeck::MovesPage</name>
    <message numerus="yes">
        <source>%1 — backend %2, %n shard move(s), %3 steps.</source>
        <translation>
            <numerusform>%1 — backend %2, %n shard move, %3 steps.</numerusform>
            <numerusform>%1 — backend %2, %n shard moves, %3 steps.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pgdeck::PatroniReviewPage</name>
    <message numerus="yes">
        <source>%n member(s) in cluster %1, %2 steps.</source>
        <translation>
            <numerusform>%n member in cluster %1, %2 steps.</numerusform>
            <numerusform>%n members in cluster %1, %2 steps.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pgdeck::PlanRunView</name>
    <message numerus="yes">
        <source>%n step(s) to run.</source>
        <translation>
            <numerusform>%n step to run.</numerusform>
            <numerusform>%n steps to run.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n step(s) done.</source>
        <translation>
            <numerusform>All %n step done.</numerusform>
            <numerusform>All %n steps done.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pgdeck::ReplicaCheckPage</name>
    <message numerus="yes">
        <source>%n finding(s) on %1 are fixed by the Plan&apos;s first steps; %2 steps in all.</source>
        <translation>
            <numerusform>%n finding on %1 are fixed by the Plan&apos;s first steps; %2 steps in all.</numerusform>
            <numerusform>%n findings on %1 are fixed by the Plan&apos;s first steps; %2 steps in all.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pgdeck::ShardsPage</name>
    <message numerus="yes">
        <source>&lt;b&gt;Rebalance under way&lt;/b&gt; — %n shard move(s) in progress; writes to a moving shard are refused until it switches.</source>
        <translation>
            <numerusform>&lt;b&gt;Rebalance under way&lt;/b&gt; — %n shard move in progress; writes to a moving shard are refused until it switches.</numerusform>
            <numerusform>&lt;b&gt;Rebalance under way&lt;/b&gt; — %n shard moves in progress; writes to a moving shard are refused until it switches.</numerusform>
        </translation>
    </message>
</context>
</TS>
