package dev.quota.redis;

import java.util.Iterator;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * One plain command on one key, {@code <command> <key> <args...>}, written on a {@link Connection} that the caller
 * holds ({@link Connection#sendCommand(CommandArguments)}, which reads {@link #size()} and {@link #iterator()}),
 * then pointed at the next command of the same round ({@link #of}): a round of a check writes its seven commands
 * through one of these instead of seven {@link CommandArguments}, each of which starts two lists. The arguments
 * are not copied, and Jedis always gets the same iterator, so a write allocates nothing. Not thread-safe; one per round, and only
 * for writing on a connection (nothing may keep it: it changes with the next command).
 */
final class PlainCommand extends CompleteArguments {

    private Protocol.Command command;
    /** The key, as the argument it is written as (one holder, pointed at each command's key in turn). */
    private final KeyBytes key = new KeyBytes();
    private Rawable[] args;
    /** The one iterator Jedis gets, from the start each time. */
    private final Walk walk = new Walk();

    PlainCommand() {
        super(Protocol.Command.PING);
    }

    /**
     * Points this at a command.
     *
     * @param command the command
     * @param key the key
     * @param args the arguments after the key
     * @return this
     */
    PlainCommand of(Protocol.Command command, byte[] key, Rawable[] args) {
        this.command = command;
        this.key.raw = key;
        this.args = args;
        return this;
    }

    /** @return the command this is pointed at */
    @Override
    public ProtocolCommand getCommand() {
        return command;
    }

    /** @return the number of arguments, the command and the key included */
    @Override
    public int size() {
        return 2 + args.length;
    }

    /**
     * @param index an index, 0 being the command and 1 the key
     * @return the argument
     */
    @Override
    public Rawable get(int index) {
        return index == 0 ? command : index == 1 ? key : args[index - 2];
    }

    /** @return the one walk of the arguments, from the first */
    @Override
    public Iterator<Rawable> iterator() {
        return walk.fromStart();
    }

    /** The key's bytes as an argument; not copied. */
    private static final class KeyBytes implements Rawable {
        private byte[] raw;

        @Override
        public byte[] getRaw() {
            return raw;
        }
    }
}
