package io.metaxy.processor.validation;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import org.jspecify.annotations.Nullable;

/**
 * Reports on annotations that javac's {@code Messager} cannot place: repeated annotations
 * ({@code @Field}, {@code @Dep} used twice) live in a container javac synthesizes, whose mirrors match
 * no source tree, so javac would print such errors without a line. This walks the source trees
 * (Compiler Tree API) to the n-th repeated annotation, then to the member value.
 */
public final class SourcePositions {
  private final Trees trees;

  private SourcePositions(Trees trees) {
    this.trees = trees;
  }

  /** The positions of javac, or {@code null} under a compiler without the Tree API. */
  public static @Nullable SourcePositions of(ProcessingEnvironment env) {
    try {
      return new SourcePositions(Trees.instance(env));
    } catch (IllegalArgumentException | LinkageError e) {
      return null;
    }
  }

  /** Prints at the annotation (or value) position; returns false when it cannot be found. */
  boolean print(
      String message, @Nullable Element element, Ann ann, @Nullable AnnotationValue value) {
    TreePath path = element == null ? null : trees.getPath(element);
    if (path == null
        || !(element instanceof TypeElement)
        || !(path.getLeaf() instanceof ClassTree ct)) {
      return false;
    }
    Tree tree = annotationTree(ct, path, ann);
    if (tree == null) {
      return false;
    }
    if (value != null && tree instanceof AnnotationTree at) {
      Map.Entry<String, Integer> where = ann.locate(value);
      Tree v = where == null ? null : member(at, where.getKey(), where.getValue());
      if (v != null) {
        tree = v;
      }
    }
    trees.printMessage(Kind.ERROR, message, tree, path.getCompilationUnit());
    return true;
  }

  private @Nullable Tree annotationTree(ClassTree ct, TreePath classPath, Ann ann) {
    if (ann.parent() != null) {
      Tree parent = annotationTree(ct, classPath, ann.parent());
      // A nested annotation always knows the member of its parent it sits in.
      String member = Objects.requireNonNull(ann.memberInParent());
      return parent instanceof AnnotationTree at ? member(at, member, ann.index()) : null;
    }
    List<AnnotationTree> same = new ArrayList<>();
    for (AnnotationTree a : ct.getModifiers().getAnnotations()) {
      Element type = trees.getElement(
          new TreePath(new TreePath(classPath, ct.getModifiers()), a.getAnnotationType()));
      if (type instanceof TypeElement te && te.getQualifiedName().contentEquals(ann.typeName())) {
        same.add(a);
      }
    }
    return ann.index() >= 0 && ann.index() < same.size() ? same.get(ann.index()) : null;
  }

  /** The tree of a member value ({@code index} selects an array element; -1 the whole value). */
  private static @Nullable Tree member(AnnotationTree at, String member, int index) {
    for (ExpressionTree arg : at.getArguments()) {
      ExpressionTree value;
      if (arg instanceof AssignmentTree as && as.getVariable() instanceof IdentifierTree id) {
        if (!id.getName().contentEquals(member)) {
          continue;
        }
        value = as.getExpression();
      } else if (member.equals("value")) {
        value = arg;
      } else {
        continue;
      }
      if (index < 0) {
        return value;
      }
      if (value instanceof NewArrayTree na) {
        return index < na.getInitializers().size() ? na.getInitializers().get(index) : value;
      }
      return value;
    }
    return null;
  }
}
