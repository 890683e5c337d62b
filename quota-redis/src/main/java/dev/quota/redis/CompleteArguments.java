package dev.quota.redis;

import java.util.Iterator;
import java.util.NoSuchElementException;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Arguments of a command that is complete when it is built ({@link ScriptArguments}, {@link PlainCommand}): the
 * subclass answers what Jedis reads of them from its own fields ({@link #size()}, {@link #get(int)}, and
 * {@link #iterator()} through a {@link Walk} of those two), and adding to them is refused.
 */
abstract class CompleteArguments extends CommandArguments {

    /** @param command the command Jedis' base class is built with */
    CompleteArguments(ProtocolCommand command) {
        super(command);
    }

    /**
     * Not supported: the command is complete when it is built.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public final CommandArguments add(Rawable arg) {
        throw complete();
    }

    /**
     * Not supported: the command is complete when it is built.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public final CommandArguments add(Object arg) {
        throw complete();
    }

    /**
     * Not supported: the command is complete when it is built.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public final CommandArguments key(Object key) {
        throw complete();
    }

    /** Walks the arguments by index, {@link #get(int)} from 0 to {@link #size()}; reusable ({@link #fromStart()}). */
    final class Walk implements Iterator<Rawable> {
        private int next;

        /** @return this walk, back at the first argument */
        Walk fromStart() {
            next = 0;
            return this;
        }

        @Override
        public boolean hasNext() {
            return next < size();
        }

        @Override
        public Rawable next() {
            if (next >= size()) {
                throw new NoSuchElementException();
            }
            return get(next++);
        }
    }

    private static UnsupportedOperationException complete() {
        return new UnsupportedOperationException("a command is complete when it is built");
    }
}
