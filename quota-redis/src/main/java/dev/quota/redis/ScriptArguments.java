package dev.quota.redis;

import java.util.AbstractList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The arguments of one script command, {@code <command> <name> <numkeys> <keys...> <args...>}, over the key and
 * argument arrays the caller built ({@link SlotLayout.Values#toArray()}), which are not copied; or of one plain
 * command on one key, {@code <command> <key> <args...>} ({@link #plain}), such as a check's {@code HMGET}. Jedis'
 * {@link CommandArguments} keeps the arguments and the keys in two lists that start at ten and four and grow step
 * by step (a record's 13 keys and 26 arguments cost seven copies), so every method of it that reads them is
 * answered here from the two arrays instead, exactly as a
 * {@link CommandArguments} built with {@code add(name).add(numkeys).key(k)...add(a)...} answers it: the
 * arguments in order ({@link #size()}, {@link #get(int)}, {@link #iterator()}), the keys' bytes
 * ({@link #getKeys()}, which Jedis' client-side cache reads), their cluster slots ({@link #getKeyHashSlots()},
 * by which a cluster client routes the call) and {@link #isKeyless()}. A {@code byte[]} goes out without the copy
 * Jedis makes of it ({@link Arg}). The command is complete when built: adding to it is refused. One per call,
 * not thread-safe.
 */
final class ScriptArguments extends CompleteArguments {

    /** {@code numkeys} for the key counts the scripts use, encoded once. */
    private static final Arg[] KEY_COUNTS = new Arg[32];

    static {
        for (int n = 0; n < KEY_COUNTS.length; n++) {
            KEY_COUNTS[n] = Arg.of(Ascii.digits(n));
        }
    }

    private static final Rawable[] NO_HEAD = new Rawable[0];

    private final Rawable command;
    /** What comes between the command and the keys: a script's name and numkeys, or nothing. */
    private final Rawable[] head;
    private final Rawable[] keys;
    private final Rawable[] args;
    private Set<Integer> slots;

    /**
     * @param command the command
     * @param name the script's SHA-1, source or function name
     * @param keys the keys, sent as they are (the array is not copied: nothing may change it afterwards)
     * @param args the arguments, sent as they are (not copied either)
     */
    ScriptArguments(ProtocolCommand command, Rawable name, Rawable[] keys, Rawable[] args) {
        this(command, new Rawable[] {name,
            keys.length < KEY_COUNTS.length ? KEY_COUNTS[keys.length] : Arg.of(Ascii.digits(keys.length))}, keys, args);
    }

    private ScriptArguments(ProtocolCommand command, Rawable[] head, Rawable[] keys, Rawable[] args) {
        super(command);
        this.command = command;
        this.head = head;
        this.keys = keys;
        this.args = args;
    }

    /**
     * A plain command on one key.
     *
     * @param command the command
     * @param key the key
     * @param args the arguments after the key, sent as they are (not copied: nothing may change them afterwards)
     * @return {@code <command> <key> <args...>}
     */
    static ScriptArguments plain(ProtocolCommand command, Rawable key, Rawable[] args) {
        return new ScriptArguments(command, NO_HEAD, new Rawable[] {key}, args);
    }

    /** @return the number of arguments, the command included */
    @Override
    public int size() {
        return 1 + head.length + keys.length + args.length;
    }

    /**
     * @param index an index, 0 being the command
     * @return the argument
     */
    @Override
    public Rawable get(int index) {
        if (index == 0) {
            return command;
        }
        if (index <= head.length) {
            return head[index - 1];
        }
        int key = index - 1 - head.length;
        return key < keys.length ? keys[key] : args[key - keys.length];
    }

    /** @return the arguments in order, the command first */
    @Override
    public Iterator<Rawable> iterator() {
        return new Walk();
    }

    /** @return the keys' bytes, in order, unmodifiable */
    @Override
    public List<Object> getKeys() {
        return new AbstractList<>() {
            @Override
            public Object get(int index) {
                return keys[index].getRaw();
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    /**
     * Overrides Jedis 8's method of the same name (no {@code @Override}: Jedis 7, which routes a cluster command
     * by {@link #getKeys()}, has no such method, and the adapter compiles against both).
     *
     * @return the cluster slots of the keys, computed on first use, unmodifiable
     */
    public Set<Integer> getKeyHashSlots() {
        if (slots == null) {
            Set<Integer> found = new HashSet<>();
            for (Rawable key : keys) {
                found.add(JedisClusterCRC16.getSlot(key.getRaw()));
            }
            slots = Collections.unmodifiableSet(found);
        }
        return slots;
    }

    /**
     * Overrides Jedis 8's method of the same name (no {@code @Override}, as {@link #getKeyHashSlots()}).
     *
     * @return true when the command has no key
     */
    public boolean isKeyless() {
        return keys.length == 0;
    }
}
