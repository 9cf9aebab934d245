package hudson.model;

/** Stub of Jenkins core's Queue: only its nested Task interface (what a job is, to the queue). */
public class Queue {
    private Queue() {
    }

    /** Stub of Queue.Task; the real one extends FullyNamedModelObject and SubTask (omitted). */
    public interface Task {
    }
}
